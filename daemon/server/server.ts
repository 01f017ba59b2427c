/**
 * The daemon's websocket server. `ws` runs with `noServer: true` on plain `http.Server`s (loopback TCP and/or
 * a unix socket); every upgrade is checked (Origin, Host, bearer token) in the HTTP `upgrade` handler and
 * audited BEFORE `handleUpgrade`, so no handler ever runs for an unauthenticated peer.
 *
 * Per message: size cap (ws `maxPayload`, closes with 1009) → per-token rate limit → zod validation →
 * permission check (denials audited; fail closed) → handler → one reply. Dead peers are found by ping/pong,
 * slow readers by their send buffer, and both are terminated.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { unlink } from 'node:fs/promises';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { AuditError } from '../audit/types.js';
import { StoreError } from '../store/types.js';
import { recordOrRefuse } from '../auth/fail-closed.js';
import { mayRequest, REQUEST_PERMISSION } from '../auth/roles.js';
import { RateLimiter, DEFAULT_RATE_LIMIT, type RateLimit } from '../auth/rate.js';
import { DaemonError, MAX_PAYLOAD_BYTES, parseFrame, RequestId, type ErrorReply, type Reply, type TokenInfo } from '../protocol/index.js';
import { runHandler, type ServerServices } from './handlers.js';
import { checkUpgrade } from './upgrade.js';
import type { ListenPlan } from './listen.js';

/** Tunables; the defaults suit an editor and a few scripts. */
export interface ServerOptions {
  readonly rateLimit?: RateLimit;
  /** How often dead peers are looked for (ms). */
  readonly heartbeatMs?: number;
  /** A peer whose unsent replies exceed this many bytes is dropped. */
  readonly maxBufferedBytes?: number;
  /** Called once when a client asks for shutdown (daemon.shutdown). */
  readonly onShutdownRequested?: () => void;
  /** Diagnostic lines (never secrets). */
  readonly log?: (line: string) => void;
}

/** A running server. */
export interface DaemonServer {
  /** The TCP host listened on (loopback only). */
  readonly host?: '127.0.0.1' | '::1';
  readonly port?: number;
  readonly socket?: string;
  /** Stop accepting, close every connection, and wait for in-flight requests to finish. */
  close(): Promise<void>;
}

/** Open sockets per listener; editors and scripts need a handful, 50-client benchmarks fit easily. */
const MAX_CONNECTIONS = 1024;

interface Peer {
  readonly ws: WebSocket;
  readonly token: TokenInfo;
  alive: boolean;
  limited: boolean;
}

/** Start listening as planned. Resolves once every listener accepts connections. */
export async function startServer(plan: ListenPlan, services: ServerServices, options: ServerOptions = {}): Promise<DaemonServer> {
  const log = options.log ?? (() => undefined);
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const maxBuffered = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  const peers = new Set<Peer>();
  const inFlight = new Set<Promise<unknown>>();
  const startedAt = performance.now();
  let closing = false;
  let shutdownAsked = false;
  const deniedAuditBudget = new RateLimiter({ burst: 100, perSecond: 20 });
  let deniedUnaudited = 0;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false, clientTracking: false });
  const httpServers: Server[] = [];
  let port: number | undefined;
  const socketPath = plan.socket;

  function refuse(socket: Duplex, status: number, reason: string): void {
    const text = `${status} ${reason}\n`;
    const statusText: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };
    socket.end(`HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    // Do not wait for the peer to finish reading: a refused client gets no more of our time.
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, overUnixSocket: boolean): Promise<void> {
    socket.on('error', () => undefined);
    if (closing) return refuse(socket, 503, 'the daemon is shutting down');
    const verdict = checkUpgrade(req, overUnixSocket, (t) => services.tokens.authenticate(t));
    try {
      if (!verdict.ok) {
        // A flood of refused upgrades must not grow the audit log without bound: past the budget, refusals are
        // counted and the count rides on the next entry that is written.
        if (deniedAuditBudget.take('upgrade')) {
          const detail = { status: verdict.status, reason: verdict.reason, ...(deniedUnaudited > 0 ? { unauditedBefore: deniedUnaudited } : {}) };
          deniedUnaudited = 0;
          await services.audit.append({ type: 'auth.denied', actor: 'anonymous', detail });
        } else {
          deniedUnaudited++;
        }
        return refuse(socket, verdict.status, verdict.reason);
      }
      await services.audit.append({ type: 'auth.ok', actor: verdict.token.id, detail: { role: verdict.token.role } });
    } catch (err) {
      log(`audit write failed during upgrade: ${(err as Error).message}`);
      return refuse(socket, 503, 'the audit log cannot be written, so connections are refused');
    }
    if (socket.destroyed || closing) return refuse(socket, 503, 'the daemon is shutting down');
    // The token may have been revoked while the audit entry was being written.
    if (!services.tokens.has(verdict.token.id)) return refuse(socket, 401, 'unknown or revoked token');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, verdict.token));
  }

  function accept(ws: WebSocket, token: TokenInfo): void {
    const peer: Peer = { ws, token, alive: true, limited: false };
    peers.add(peer);
    ws.on('pong', () => (peer.alive = true));
    ws.on('error', () => undefined);
    ws.on('close', () => peers.delete(peer));
    ws.on('message', (data, isBinary) => {
      peer.alive = true; // any traffic proves life: a pong can be queued behind a burst of requests
      const work = onMessage(peer, data, isBinary).catch((err) => log(`reply failed: ${(err as Error).message}`));
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    });
  }

  function send(peer: Peer, reply: Reply): void {
    if (peer.ws.readyState !== peer.ws.OPEN) return;
    // A client that does not read its replies would make us buffer without bound: drop it.
    if (peer.ws.bufferedAmount > maxBuffered) {
      log(`dropping a slow client (token ${peer.token.id}): ${peer.ws.bufferedAmount} bytes unsent`);
      peer.ws.terminate();
      return;
    }
    peer.ws.send(JSON.stringify(reply));
  }

  function errorReply(id: RequestId | null, code: ErrorReply['error']['code'], message: string): ErrorReply {
    return { id, ok: false, error: { code, message } };
  }

  async function onMessage(peer: Peer, data: RawData, isBinary: boolean): Promise<void> {
    // Frames still arriving after a revocation (during the close handshake) are not served.
    if (peer.ws.readyState !== peer.ws.OPEN || !services.tokens.has(peer.token.id)) return;
    if (!limiter.take(peer.token.id)) {
      if (!peer.limited) {
        peer.limited = true; // audit the start of a flood, not every dropped message
        await services.audit.append({ type: 'rate.limited', actor: peer.token.id }).catch(() => undefined);
      }
      return send(peer, errorReply(cheapId(data), 'RATE_LIMITED', `rate limit of ${limiter.limit.perSecond} requests/s exceeded; slow down`));
    }
    peer.limited = false;
    if (isBinary) return send(peer, errorReply(null, 'BAD_REQUEST', 'binary frames are not accepted: send JSON text'));
    const parsed = parseFrame(rawToString(data));
    if (!parsed.ok) return send(peer, parsed.reply);
    const req = parsed.request;
    if (closing) return send(peer, errorReply(req.id, 'SHUTTING_DOWN', 'the daemon is shutting down'));
    try {
      if (!mayRequest(peer.token.role, req.type)) {
        await recordOrRefuse(services.audit, { type: 'permission.denied', actor: peer.token.id, detail: { request: req.type, role: peer.token.role } });
        throw new DaemonError('FORBIDDEN', `role ${peer.token.role} may not ${req.type} (needs ${REQUEST_PERMISSION[req.type] ?? 'nothing'})`);
      }
      const result = await runHandler(req, {
        caller: peer.token,
        services,
        control: {
          startedAt,
          ...(port !== undefined ? { port } : {}),
          ...(socketPath !== undefined ? { socket: socketPath } : {}),
          connectionCount: () => peers.size,
          closeConnectionsOf: (tokenId) => closeConnectionsOf(tokenId),
          requestShutdown: () => {
            if (shutdownAsked) return;
            shutdownAsked = true;
            // Let this reply reach the client before the server starts closing connections.
            setImmediate(() => options.onShutdownRequested?.());
          },
        },
      });
      send(peer, { id: req.id, ok: true, result });
    } catch (err) {
      send(peer, toErrorReply(req.id, err, log));
    }
  }

  function closeConnectionsOf(tokenId: string): number {
    let n = 0;
    limiter.forget(tokenId);
    for (const peer of peers) {
      if (peer.token.id !== tokenId) continue;
      peer.ws.close(4001, 'token revoked');
      n++;
    }
    return n;
  }

  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      try {
        peer.ws.ping();
      } catch {
        peer.ws.terminate();
      }
    }
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  function makeHttpServer(overUnixSocket: boolean): Server {
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' }).end('426 this endpoint speaks websocket only\n');
    });
    server.on('upgrade', (req, socket, head) => void onUpgrade(req, socket, head, overUnixSocket));
    server.on('clientError', (_err, socket) => socket.destroy());
    // A local process holding half-sent requests open must not exhaust the daemon (slowloris).
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    server.maxConnections = MAX_CONNECTIONS;
    httpServers.push(server);
    return server;
  }

  try {
    if (plan.tcp) {
      const server = makeHttpServer(false);
      await listen(server, { host: plan.tcp.host, port: plan.tcp.port });
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : undefined;
    }
    if (plan.socket !== undefined) {
      // A socket file left by a killed daemon: the caller holds the state-dir lock, so it is stale.
      await unlink(plan.socket).catch(() => undefined);
      await listen(makeHttpServer(true), { path: plan.socket });
    }
  } catch (err) {
    clearInterval(heartbeat);
    await Promise.all(httpServers.map((s) => new Promise((r) => s.close(r))));
    throw err;
  }

  return {
    ...(plan.tcp && port !== undefined ? { host: plan.tcp.host, port } : {}),
    ...(socketPath !== undefined ? { socket: socketPath } : {}),
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      const closed = Promise.all(httpServers.map((s) => new Promise((r) => s.close(r))));
      // Requests already being handled finish and get their replies; acknowledged writes are then on disk.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      for (const peer of peers) peer.ws.close(1001, 'daemon shutting down');
      await new Promise((r) => setTimeout(r, 50));
      for (const peer of peers) peer.ws.terminate();
      for (const s of httpServers) s.closeAllConnections?.();
      await closed;
      if (socketPath !== undefined) await unlink(socketPath).catch(() => undefined);
    },
  };
}

function listen(server: Server, where: { host: string; port: number } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ ...where, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The request id of a small frame, so a client can match a RATE_LIMITED reply; big frames are not parsed. */
function cheapId(data: RawData): RequestId | null {
  const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
  if (size > 4096) return null;
  try {
    const id = RequestId.safeParse((JSON.parse(rawToString(data)) as { id?: unknown } | null)?.id);
    return id.success ? id.data : null;
  } catch {
    return null;
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Map any failure to a wire error; unexpected ones are logged and reported as INTERNAL without details. */
function toErrorReply(id: RequestId, err: unknown, log: (line: string) => void): ErrorReply {
  if (err instanceof DaemonError) return { id, ok: false, error: { code: err.code, message: err.message } };
  if (err instanceof StoreError && err.code === 'INTEGRITY') {
    return { id, ok: false, error: { code: 'INTEGRITY', message: err.message } };
  }
  if (err instanceof AuditError) return { id, ok: false, error: { code: 'AUDIT_UNAVAILABLE', message: 'the audit log cannot be written or read' } };
  log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { id, ok: false, error: { code: 'INTERNAL', message: 'internal error (see the daemon log)' } };
}
