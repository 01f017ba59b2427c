/**
 * The websocket client CLI commands use to talk to the daemon: finds it through `daemon.json`, authenticates
 * with `SHIPPI_TOKEN` or `owner.token` (as `Authorization: Bearer …`, never in the URL), and matches replies
 * to requests by id. Wire types come only from daemon/protocol.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Reply, type ErrorCode, type RequestOf, type RequestType, type ResultOf } from '../../daemon/protocol/index.js';
import { CliError } from './command.js';

/** Where a daemon listens. */
export interface DaemonAddress {
  /** Loopback host of `port` (default 127.0.0.1). */
  readonly host?: '127.0.0.1' | '::1' | undefined;
  readonly port?: number | undefined;
  readonly socket?: string | undefined;
}

/** A request without its id (the client assigns ids). */
export type Outgoing<T extends RequestType> = Omit<RequestOf<T>, 'id'>;

/** An error reply from the daemon, with its stable wire code. */
export class DaemonReplyError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'DaemonReplyError';
  }
}

/** A failed connection attempt: `status` is the HTTP status of a refused upgrade, if there was one. */
export class DaemonConnectError extends Error {
  constructor(message: string, readonly status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DaemonConnectError';
  }
}

/** One authenticated websocket connection to the daemon. */
export class DaemonClient {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.#onMessage(data.toString()));
    ws.on('close', (code, reason) => this.#failAll(new DaemonConnectError(`connection closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`)));
    ws.on('error', (err) => this.#failAll(new DaemonConnectError(err.message)));
  }

  /** Connect and authenticate; rejects with DaemonConnectError (with the HTTP status when refused). */
  static connect(address: DaemonAddress, token: string, options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<DaemonClient> {
    const url = address.port !== undefined ? `ws://${address.host === '::1' ? '[::1]' : '127.0.0.1'}:${address.port}/` : address.socket !== undefined ? `ws+unix://${address.socket}:/` : undefined;
    if (url === undefined) return Promise.reject(new DaemonConnectError('daemon.json names neither a port nor a socket'));
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: { Authorization: `Bearer ${token}`, ...(address.port === undefined ? { Host: 'localhost' } : {}), ...options.headers },
        handshakeTimeout: options.timeoutMs ?? 5000,
        perMessageDeflate: false,
        maxPayload: 64 * 1024 * 1024,
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          ws.terminate();
          reject(new DaemonConnectError(body.trim() || `refused with HTTP ${res.statusCode}`, res.statusCode));
        });
      });
      ws.once('error', (err) => reject(new DaemonConnectError(err.message, undefined, { cause: err })));
      ws.once('open', () => resolve(new DaemonClient(ws)));
    });
  }

  /** Send one request and wait for its reply (at most `timeoutMs`, 0 = no limit); error replies reject with DaemonReplyError. */
  request<T extends RequestType>(message: Outgoing<T> & { type: T }, timeoutMs = 0): Promise<ResultOf<T>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new DaemonConnectError('not connected'));
      let timer: NodeJS.Timeout | undefined;
      const settle = <A>(fn: (arg: A) => void) => (arg: A): void => {
        if (timer) clearTimeout(timer);
        fn(arg);
      };
      this.#pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(new DaemonConnectError(`no reply to ${message.type} within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
      }
      this.ws.send(JSON.stringify({ ...message, id }));
    });
  }

  /** Close the connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
      setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 1000).unref();
    });
  }

  #onMessage(text: string): void {
    let reply: Reply;
    try {
      reply = Reply.parse(JSON.parse(text));
    } catch {
      return; // not a reply we understand; nothing to match it to
    }
    if (typeof reply.id !== 'number') return;
    const waiter = this.#pending.get(reply.id);
    if (!waiter) return;
    this.#pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new DaemonReplyError(reply.error.code, reply.error.message));
  }

  #failAll(err: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(err);
    this.#pending.clear();
  }
}

/** The token CLI commands use: `SHIPPI_TOKEN`, else the owner token file. */
export async function resolveToken(stateDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env['SHIPPI_TOKEN']?.trim();
  if (fromEnv) return fromEnv;
  try {
    return (await readFile(join(stateDir, 'owner.token'), 'utf8')).trim();
  } catch {
    throw new CliError(`no token: set SHIPPI_TOKEN or start the daemon once to create ${join(stateDir, 'owner.token')}`, 2);
  }
}

/** Read `daemon.json`'s address; `undefined` when the daemon is not running. */
export async function readAddress(stateDir: string): Promise<(DaemonAddress & { pid: number }) | undefined> {
  try {
    const info = JSON.parse(await readFile(join(stateDir, 'daemon.json'), 'utf8')) as { pid?: unknown; host?: unknown; port?: unknown; socket?: unknown };
    if (typeof info.pid !== 'number') return undefined;
    return {
      pid: info.pid,
      ...(info.host === '::1' ? { host: '::1' as const } : {}),
      ...(typeof info.port === 'number' ? { port: info.port } : {}),
      ...(typeof info.socket === 'string' ? { socket: info.socket } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Exit code for "the daemon is not running". */
export const EXIT_NOT_RUNNING = 3;

/** Connect for a CLI command, turning every failure into a one-line CliError. */
export async function connectForCli(stateDir: string): Promise<DaemonClient> {
  const address = await readAddress(stateDir);
  if (!address) throw new CliError('the daemon is not running (start it with `shippi daemon start`)', EXIT_NOT_RUNNING);
  const token = await resolveToken(stateDir);
  try {
    return await DaemonClient.connect(address, token);
  } catch (err) {
    if (err instanceof DaemonConnectError && err.status !== undefined) throw new CliError(`the daemon refused the connection: ${err.message}`, 2);
    throw new CliError(`the daemon is not running or not reachable (${(err as Error).message})`, EXIT_NOT_RUNNING);
  }
}

/** Run one request for a CLI command and close; error replies become CliErrors naming the code. */
export async function requestForCli<T extends RequestType>(stateDir: string, message: Outgoing<T> & { type: T }): Promise<ResultOf<T>> {
  const client = await connectForCli(stateDir);
  try {
    // Key rotation re-encrypts every record; everything else is quick.
    return await client.request<T>(message, message.type === 'key.rotate' ? 30 * 60_000 : 60_000);
  } catch (err) {
    if (err instanceof DaemonReplyError) throw new CliError(`${err.code}: ${err.message}`, err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED' ? 4 : 1);
    throw new CliError(`lost the connection to the daemon (${(err as Error).message})`, EXIT_NOT_RUNNING);
  } finally {
    await client.close();
  }
}
