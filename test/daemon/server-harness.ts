/**
 * Test harness for the daemon's websocket tests: a real daemon (real LevelDB, real audit log) in a temp state
 * directory, in this process, plus raw HTTP upgrades for the Origin/Host/token matrix.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDaemon, type DaemonOptions, type RunningDaemon } from '../../daemon/main.js';
import { DaemonClient } from '../../clients/cli/daemon-client.js';
import { AuditError, type AuditEntry, type AuditEvent, type AuditLog } from '../../daemon/audit/types.js';

/** A daemon running in a temp dir, with its owner token. */
export interface TestDaemon {
  readonly dir: string;
  readonly daemon: RunningDaemon;
  readonly ownerToken: string;
  readonly port: number;
  readonly socket: string | undefined;
  /** Connect with a token (default: the owner's). */
  connect(token?: string): Promise<DaemonClient>;
  /** Stop the daemon and delete the temp dir. */
  dispose(): Promise<void>;
}

/** Start a daemon in a fresh temp state dir (TCP on a free port and a unix socket). */
export async function startTestDaemon(options: Partial<DaemonOptions> = {}): Promise<TestDaemon> {
  const dir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'shippi-srv-')));
  const daemon = await runDaemon({ version: 'test', listen: { host: '127.0.0.1', port: 0, socket: join(dir, 'd.sock') }, ...options, stateDir: dir });
  const ownerToken = (await readFile(join(dir, 'owner.token'), 'utf8')).trim();
  const port = daemon.info.port!;
  return {
    dir,
    daemon,
    ownerToken,
    port,
    socket: daemon.info.socket,
    connect: (token = ownerToken) => DaemonClient.connect({ port }, token),
    async dispose() {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Attempt a websocket upgrade with exactly these headers (written raw, so duplicates are possible); resolves to the HTTP status. */
export function rawUpgrade(target: { port: number } | { socketPath: string }, headers: Record<string, string | string[]>, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = 'port' in target ? connect({ host: '127.0.0.1', port: target.port }) : connect({ path: target.socketPath });
    const lines = [`GET ${path} HTTP/1.1`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='];
    for (const [name, value] of Object.entries(headers)) for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
    let data = '';
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(0));
  });
}

/** An in-memory audit log that can be told to fail, to check that task changes fail closed. */
export class MemoryAudit implements AuditLog {
  entries: AuditEntry[] = [];
  failing = false;
  async append(e: AuditEvent): Promise<AuditEntry> {
    if (this.failing) throw new AuditError('AUDIT_WRITE_FAILED', 'disk full');
    const entry: AuditEntry = { seq: this.entries.length + 1, ts: new Date().toISOString(), type: e.type, actor: e.actor, detail: { ...e.detail }, hashed: {}, prev: '', mac: '' };
    this.entries.push(entry);
    return entry;
  }
  async tail(n: number) { return this.entries.slice(-n); }
  async verify() { return { ok: true as const, entries: this.entries.length }; }
  async close() {}
}

