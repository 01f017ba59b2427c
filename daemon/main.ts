/**
 * The daemon program: open the encrypted store and the audit log, make sure an owner token exists, listen,
 * publish `daemon.json`, and shut down cleanly (every acknowledged write on disk) on request or signal.
 * One daemon per state directory: a live `daemon.json`, the `daemon.lock` pid lock (taken before the key ring is
 * touched) or the store's LevelDB lock means "already running".
 */
import { existsSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureStateDir, writeSecretFile } from './state.js';
import { openStore } from './store/index.js';
import { openAuditLog } from './audit/index.js';
import { StoreError } from './store/types.js';
import type { AuditLog } from './audit/types.js';
import type { EncryptedStore } from './store/types.js';
import { TokenRegistry } from './auth/tokens.js';
import type { RateLimit } from './auth/rate.js';
import { createTaskService } from './tasks/service.js';
import { planListen, startServer, type DaemonServer, type ListenConfig } from './server/index.js';
import { takeInstanceLock, InstanceLockedError, type InstanceLock } from './server/instance-lock.js';

/** Files the daemon keeps in the state directory. */
export const DAEMON_FILES = { discovery: 'daemon.json', ownerToken: 'owner.token', socket: 'daemon.sock', log: 'daemon.log' } as const;

/** The discovery file's content. */
export interface DaemonInfo {
  readonly pid: number;
  /** Loopback host of `port`: 127.0.0.1 unless started with --host ::1. */
  readonly host?: '127.0.0.1' | '::1';
  readonly port?: number;
  readonly socket?: string;
  readonly version: string;
  readonly started: string;
}

/** Why the daemon did not start. */
export type DaemonStartErrorCode = 'ALREADY_RUNNING' | 'CONFIG' | 'UNLOCK' | 'AUDIT';

/** A start failure with a stable code and a message for the user. */
export class DaemonStartError extends Error {
  constructor(readonly code: DaemonStartErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DaemonStartError';
  }
}

/** How to run the daemon. */
export interface DaemonOptions {
  readonly stateDir: string;
  readonly passphrase?: string | undefined;
  /** Default: 127.0.0.1 on a free port, plus `daemon.sock` in the state directory. */
  readonly listen?: ListenConfig | undefined;
  readonly rateLimit?: RateLimit | undefined;
  readonly heartbeatMs?: number | undefined;
  readonly version: string;
  readonly log?: ((line: string) => void) | undefined;
}

/** A running daemon. */
export interface RunningDaemon {
  readonly info: DaemonInfo;
  /** Whether this start created the owner token (first start). */
  readonly ownerTokenCreated: boolean;
  /** Shut down cleanly; idempotent. */
  stop(): Promise<void>;
  /** Settles once the daemon has stopped (for any reason). */
  readonly stopped: Promise<void>;
}

/** Read `daemon.json`; `undefined` when missing or unreadable. */
export async function readDaemonInfo(stateDir: string): Promise<DaemonInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(join(stateDir, DAEMON_FILES.discovery), 'utf8')) as DaemonInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether anything accepts a plain connection at a daemon's published address (no request is sent). */
export async function acceptsConnections(info: Pick<DaemonInfo, 'host' | 'port' | 'socket'>): Promise<boolean> {
  const attempt = (where: { host: string; port: number } | { path: string }): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = connect(where);
      const done = (ok: boolean): void => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  if (info.port !== undefined && (await attempt({ host: info.host ?? '127.0.0.1', port: info.port }))) return true;
  return info.socket !== undefined && (await attempt({ path: info.socket }));
}

/** Start the daemon; resolves once it accepts connections and `daemon.json` is written. */
export async function runDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const dir = options.stateDir;
  const log = options.log ?? (() => undefined);
  const existing = await readDaemonInfo(dir);
  if (existing && existing.pid !== process.pid && processAlive(existing.pid) && (await acceptsConnections(existing))) {
    throw new DaemonStartError('ALREADY_RUNNING', `already running (pid ${existing.pid})`);
  }
  await ensureStateDir(dir);
  let plan;
  try {
    plan = await planListen(options.listen ?? defaultListen(dir));
  } catch (err) {
    throw new DaemonStartError('CONFIG', (err as Error).message, { cause: err });
  }

  let lock: InstanceLock;
  try {
    // A live lock holder that published daemon.json but accepts nothing there is a reused pid, not a daemon.
    // (A daemon still starting has not written daemon.json yet, or it names its predecessor's pid.)
    lock = await takeInstanceLock(dir, async (pid) => {
      const info = await readDaemonInfo(dir);
      return info?.pid === pid && !(await acceptsConnections(info));
    });
  } catch (err) {
    if (err instanceof InstanceLockedError) throw new DaemonStartError('ALREADY_RUNNING', err.message, { cause: err });
    throw err;
  }
  let store: EncryptedStore;
  let auditKey: Uint8Array;
  try {
    ({ store, auditKey } = await openStore({ dir, ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}) }));
  } catch (err) {
    await lock.release();
    if (err instanceof StoreError && err.code === 'LOCKED') throw new DaemonStartError('ALREADY_RUNNING', 'already running (the store is locked by another process)', { cause: err });
    if (err instanceof StoreError) throw new DaemonStartError('UNLOCK', err.message, { cause: err });
    throw err;
  }
  let audit: AuditLog | undefined;
  let server: DaemonServer | undefined;
  try {
    const openedAudit = await openAuditLog({ dir, key: auditKey });
    audit = openedAudit;
    try {
      await openedAudit.append({ type: 'daemon.start', actor: 'system', detail: { pid: process.pid, version: options.version } });
    } catch (err) {
      throw new DaemonStartError('AUDIT', 'the audit log cannot be written, so the daemon will not start', { cause: err });
    }
    const tokens = await TokenRegistry.open({ store, audit: openedAudit });
    let ownerTokenCreated = false;
    const ownerFile = join(dir, DAEMON_FILES.ownerToken);
    const ownerFileLost = tokens.size > 0 && !existsSync(ownerFile);
    if (tokens.size === 0 || ownerFileLost) {
      // The owner token file was deleted: the token in it is lost to its owner (and only the owner can read
      // this directory), so a new one is issued and the old one revoked, rather than locking the owner out.
      const lost = ownerFileLost ? tokens.ownerTokens() : [];
      // The file is written before the token is stored: after a crash in between, the next start finds no
      // token and issues a new owner token over the file, instead of storing a token that nobody holds.
      await tokens.create('admin', 'owner', 'system', { owner: true, beforeStore: (token) => writeSecretFile(ownerFile, `${token}\n`) });
      for (const t of lost) await tokens.revoke(t.id, 'system');
      ownerTokenCreated = true;
      log(ownerFileLost ? `${ownerFile} was missing: revoked the old owner token and created a new one` : `created the owner token in ${ownerFile}`);
    }
    const tasks = await createTaskService({ store, audit: openedAudit });

    let stopping: Promise<void> | undefined;
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((r) => (resolveStopped = r));
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        log('shutting down');
        await server?.close().catch((e: Error) => log(`closing the server: ${e.message}`));
        await openedAudit.append({ type: 'daemon.stop', actor: 'system', detail: { pid: process.pid } }).catch(() => undefined);
        await openedAudit.close().catch((e: Error) => log(`closing the audit log: ${e.message}`));
        await store.close().catch((e: Error) => log(`closing the store: ${e.message}`));
        const current = await readDaemonInfo(dir);
        if (current?.pid === process.pid) await unlink(join(dir, DAEMON_FILES.discovery)).catch(() => undefined);
        await lock.release();
        resolveStopped();
      })();
      return stopping;
    };

    server = await startServer(plan, { store, audit: openedAudit, tokens, tasks, version: options.version }, {
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      onShutdownRequested: () => void stop(),
      log,
    });
    const info: DaemonInfo = {
      pid: process.pid,
      ...(server.port !== undefined ? { host: server.host ?? '127.0.0.1', port: server.port } : {}),
      ...(server.socket !== undefined ? { socket: server.socket } : {}),
      version: options.version,
      started: new Date().toISOString(),
    };
    await writeSecretFile(join(dir, DAEMON_FILES.discovery), `${JSON.stringify(info, null, 2)}\n`);
    log(`listening${info.port !== undefined ? ` on ${info.host === '::1' ? '[::1]' : '127.0.0.1'}:${info.port}` : ''}${info.socket !== undefined ? ` and ${info.socket}` : ''} (pid ${process.pid})`);
    return { info, ownerTokenCreated, stop, stopped };
  } catch (err) {
    await server?.close().catch(() => undefined);
    await audit?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    await lock.release();
    if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DaemonStartError('CONFIG', `the address is already in use: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** Run in the foreground until SIGINT/SIGTERM or a shutdown request; resolves when fully stopped. */
export async function runDaemonForeground(options: DaemonOptions): Promise<void> {
  const daemon = await runDaemon(options);
  const onSignal = (): void => void daemon.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await daemon.stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The default listening config: loopback TCP on a free port, plus a socket in the (0700) state directory. */
export function defaultListen(stateDir: string): ListenConfig {
  const socket = join(stateDir, DAEMON_FILES.socket);
  const socketFits = process.platform !== 'win32' && Buffer.byteLength(socket) <= 103;
  return { host: '127.0.0.1', port: 0, ...(socketFits ? { socket } : {}) };
}
