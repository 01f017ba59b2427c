/** Where the daemon listens: loopback TCP and/or a unix socket in a private directory. Nothing else. */
import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DaemonError } from '../protocol/index.js';

/** A listening request as configured (flags or options). */
export interface ListenConfig {
  /** TCP host; only loopback is accepted. Omit (with `port`) to skip TCP. */
  readonly host?: string | undefined;
  /** TCP port; 0 picks a free one. */
  readonly port?: number | undefined;
  /** Unix socket path; its directory must be private (0700, ours). */
  readonly socket?: string | undefined;
}

/** A validated listening plan. */
export interface ListenPlan {
  readonly tcp?: { readonly host: '127.0.0.1' | '::1'; readonly port: number };
  readonly socket?: string;
}

/** The longest unix socket path most platforms accept (sun_path is 104–108 bytes). */
const MAX_SOCKET_PATH = 103;

/** Validate a listen config; a non-loopback interface or a shared socket directory fails with a clear message. */
export async function planListen(config: ListenConfig): Promise<ListenPlan> {
  let tcp: ListenPlan['tcp'];
  if (config.host !== undefined || config.port !== undefined) {
    const host = normaliseHost(config.host ?? '127.0.0.1');
    const port = config.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DaemonError('BAD_REQUEST', `invalid port ${String(port)}`);
    tcp = { host, port };
  }
  let socket: string | undefined;
  if (config.socket !== undefined) {
    if (Buffer.byteLength(config.socket) > MAX_SOCKET_PATH) {
      throw new DaemonError('BAD_REQUEST', `unix socket path is too long (${Buffer.byteLength(config.socket)} bytes; the limit is ${MAX_SOCKET_PATH})`);
    }
    const dir = dirname(config.socket);
    const info = await lstat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new DaemonError('BAD_REQUEST', `socket directory ${dir} does not exist`);
    if ((info.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && info.uid !== process.getuid())) {
      throw new DaemonError('BAD_REQUEST', `refusing to put the socket in ${dir}: the directory must be 0700 and owned by this user`);
    }
    socket = config.socket;
  }
  if (!tcp && socket === undefined) throw new DaemonError('BAD_REQUEST', 'nothing to listen on: give a loopback port and/or a unix socket');
  return { ...(tcp ? { tcp } : {}), ...(socket !== undefined ? { socket } : {}) };
}

function normaliseHost(host: string): '127.0.0.1' | '::1' {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === '127.0.0.1' || h === 'localhost') return '127.0.0.1';
  if (h === '::1') return '::1';
  throw new DaemonError('BAD_REQUEST', `refusing to listen on ${host}: the daemon binds only loopback (127.0.0.1 or ::1) or a unix socket`);
}
