/**
 * The request handlers: thin glue from a validated request to the task, token, audit and store services.
 * They run only after authentication, validation, the rate limit and the permission check.
 */
import type { AuditLog } from '../audit/types.js';
import type { EncryptedStore } from '../store/types.js';
import type { TokenRegistry } from '../auth/tokens.js';
import type { TaskService } from '../tasks/service.js';
import { recordOrRefuse } from '../auth/fail-closed.js';
import { DaemonError, PROTOCOL_VERSION, TASK_LIST_DEFAULT_LIMIT, type RequestOf, type RequestType, type ResultOf, type TokenInfo } from '../protocol/index.js';

/** The services behind the handlers. */
export interface ServerServices {
  readonly store: EncryptedStore;
  readonly audit: AuditLog;
  readonly tokens: TokenRegistry;
  readonly tasks: TaskService;
  /** Shippi's version, reported by daemon.status. */
  readonly version: string;
}

/** What a handler may ask of the server around it. */
export interface ServerControl {
  connectionCount(): number;
  /** Close every connection that authenticated with a token; returns how many closed. */
  closeConnectionsOf(tokenId: string): number;
  /** Begin a clean shutdown after the current reply is sent. */
  requestShutdown(): void;
  readonly startedAt: number;
  readonly port?: number;
  readonly socket?: string;
}

/** Everything a handler sees. */
export interface HandlerContext {
  readonly caller: TokenInfo;
  readonly services: ServerServices;
  readonly control: ServerControl;
}

type Handler<T extends RequestType> = (req: RequestOf<T>, ctx: HandlerContext) => Promise<ResultOf<T>>;

const defined = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** One handler per request type. */
export const HANDLERS: { readonly [T in RequestType]: Handler<T> } = {
  async ping() {
    return { pong: true, time: new Date().toISOString() };
  },

  async 'daemon.status'(_req, { caller, services, control }) {
    return {
      pid: process.pid,
      version: services.version,
      protocol: PROTOCOL_VERSION,
      uptimeMs: Math.round(performance.now() - control.startedAt),
      connections: control.connectionCount(),
      ...defined('port', control.port),
      ...defined('socket', control.socket),
      role: caller.role,
      tokenId: caller.id,
    };
  },

  async 'daemon.shutdown'(_req, { control }) {
    control.requestShutdown();
    return { stopping: true };
  },

  async 'task.create'(req, { caller, services }) {
    return services.tasks.create({ title: req.title, kind: req.kind, workspace: req.workspace, files: req.files, prompt: req.prompt }, caller.id);
  },

  async 'task.get'(req, { services }) {
    return services.tasks.get(req.taskId);
  },

  async 'task.list'(req, { services }) {
    const { tasks, unreadable } = await services.tasks.list({ status: req.status, file: req.file, limit: req.limit ?? TASK_LIST_DEFAULT_LIMIT });
    return { tasks, ...(unreadable.length > 0 ? { unreadable } : {}) };
  },

  async 'task.update'(req, { caller, services }) {
    return services.tasks.updateStatus(req.taskId, { status: req.status, from: req.from, response: req.response, edit: req.edit, note: req.note }, caller.id);
  },

  async 'task.delete'(req, { caller, services }) {
    return services.tasks.remove(req.taskId, caller.id);
  },

  async 'token.create'(req, { caller, services }) {
    const created = await services.tokens.create(req.role, req.name, caller.id);
    return { ...created.info, token: created.token };
  },

  async 'token.list'(_req, { services }) {
    return { tokens: services.tokens.list() };
  },

  async 'token.revoke'(req, { caller, services, control }) {
    const revoked = await services.tokens.revoke(req.tokenId, caller.id);
    return { revoked: revoked.id, closedConnections: control.closeConnectionsOf(revoked.id) };
  },

  async 'audit.tail'(req, { services }) {
    try {
      return { entries: (await services.audit.tail(req.n ?? 20)).map((e) => ({ ...e, detail: { ...e.detail }, hashed: { ...e.hashed } })) };
    } catch (err) {
      throw new DaemonError('AUDIT_UNAVAILABLE', 'the audit log cannot be read', { cause: err });
    }
  },

  async 'audit.verify'(_req, { services }) {
    try {
      return await services.audit.verify();
    } catch (err) {
      throw new DaemonError('AUDIT_UNAVAILABLE', 'the audit log cannot be read', { cause: err });
    }
  },

  async 'key.rotate'(_req, { caller, services }) {
    await recordOrRefuse(services.audit, { type: 'key.rotated', actor: caller.id, detail: { phase: 'start' } });
    const result = await services.store.rotate();
    // The rotation already happened; a failure to record its end is visible as a start without an end.
    await services.audit.append({ type: 'key.rotated', actor: caller.id, detail: { phase: 'done', reencrypted: result.reencrypted } }).catch(() => undefined);
    return result;
  },
};

/** Run the handler for a request (the union is narrowed by `type`). */
export function runHandler(req: RequestOf<RequestType>, ctx: HandlerContext): Promise<unknown> {
  return (HANDLERS[req.type] as Handler<RequestType>)(req, ctx);
}
