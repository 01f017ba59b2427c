/**
 * The daemon's websocket protocol: one JSON object per text frame, each a request with a client-chosen `id`,
 * answered by exactly one reply carrying the same `id`. Every request is one `z.strictObject` in a single
 * discriminated union on `type`; unknown keys are rejected, not stripped. Types come from `z.infer`, so this
 * file is the one source of wire types: the daemon and every client import it.
 *
 * AI calls (ai.*) and provider management (provider.*) arrive in a later issue; they slot into the union below.
 */
import { z } from 'zod';

/** Protocol version, reported by daemon.status; bumped only on an incompatible change. */
export const PROTOCOL_VERSION = 1;

/** The largest websocket message the daemon accepts (bytes); larger ones close the connection with 1009. */
export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** A request id: a short string or a non-negative safe integer, echoed in the reply. */
export const RequestId = z.union([z.string().min(1).max(64), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]);
export type RequestId = z.infer<typeof RequestId>;

// ---- shared value schemas -------------------------------------------------------------------------------

/** Roles, from least to most trusted. */
export const Role = z.enum(['viewer', 'developer', 'maintainer', 'admin']);
export type Role = z.infer<typeof Role>;

export const TaskKind = z.enum(['fix', 'explain', 'review', 'chat']);
export type TaskKind = z.infer<typeof TaskKind>;

export const TaskStatus = z.enum(['open', 'running', 'proposed', 'applied', 'rejected', 'failed', 'rolled-back']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Ids the daemon hands out are random lowercase hex with a short prefix; anything else cannot exist. */
const TaskId = z.string().regex(/^t_[0-9a-f]{24}$/, 'expected a task id like t_0123…');
const TokenId = z.string().regex(/^k_[0-9a-f]{16}$/, 'expected a token id like k_0123…');

/** A file a task refers to: a workspace-relative or absolute path, optionally a 1-based line. */
export const FileRef = z.strictObject({
  path: z.string().min(1).max(4096),
  line: z.number().int().positive().optional(),
});
export type FileRef = z.infer<typeof FileRef>;

/** One text replacement (UTF-16 offsets, end exclusive), as the engine's TextEdit. */
export const WireTextEdit = z.strictObject({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  newText: z.string().max(1_000_000),
}).refine((e) => e.end >= e.start, { message: 'end must not be before start' });

/** A proposed change to one file. */
export const ProposedEdit = z.strictObject({
  path: z.string().min(1).max(4096),
  edits: z.array(WireTextEdit).max(10_000),
});
export type ProposedEdit = z.infer<typeof ProposedEdit>;

/** One entry of a task's append-only history. */
export const TaskHistoryEntry = z.strictObject({
  at: z.string(),
  actor: z.string(),
  from: TaskStatus.nullable(),
  to: TaskStatus,
  note: z.string().optional(),
});
export type TaskHistoryEntry = z.infer<typeof TaskHistoryEntry>;

/** A task as stored and as returned on the wire. `prompt` is already redacted when stored. */
export const Task = z.strictObject({
  id: TaskId,
  title: z.string(),
  kind: TaskKind,
  status: TaskStatus,
  workspace: z.string().optional(),
  files: z.array(FileRef),
  prompt: z.string().optional(),
  response: z.string().optional(),
  edit: ProposedEdit.optional(),
  createdBy: z.string(),
  created: z.string(),
  updated: z.string(),
  history: z.array(TaskHistoryEntry),
});
export type Task = z.infer<typeof Task>;

/** Proof that a task was deleted: the SHA-256 of the final record's canonical JSON, also written to the audit log. */
export const DeletionReceipt = z.strictObject({
  id: TaskId,
  deletedAt: z.string(),
  recordSha256: z.string().regex(/^[0-9a-f]{64}$/),
  auditSeq: z.number().int(),
});
export type DeletionReceipt = z.infer<typeof DeletionReceipt>;

/** A token's public description; the token itself is never listed. */
export const TokenInfo = z.strictObject({
  id: TokenId,
  role: Role,
  name: z.string(),
  created: z.string(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

// ---- requests -----------------------------------------------------------------------------------------

const title = z.string().trim().min(1, 'title must not be empty').max(500);

export const PingRequest = z.strictObject({ type: z.literal('ping'), id: RequestId });
export const DaemonStatusRequest = z.strictObject({ type: z.literal('daemon.status'), id: RequestId });
export const DaemonShutdownRequest = z.strictObject({ type: z.literal('daemon.shutdown'), id: RequestId });

export const TaskCreateRequest = z.strictObject({
  type: z.literal('task.create'),
  id: RequestId,
  title,
  kind: TaskKind,
  workspace: z.string().min(1).max(4096).optional(),
  files: z.array(FileRef).max(1000).optional(),
  /** Redacted by the daemon before it is stored: secrets found by the engine never reach the disk. */
  prompt: z.string().max(1_000_000).optional(),
});
export const TaskGetRequest = z.strictObject({ type: z.literal('task.get'), id: RequestId, taskId: TaskId });
export const TaskListRequest = z.strictObject({
  type: z.literal('task.list'),
  id: RequestId,
  status: TaskStatus.optional(),
  file: z.string().min(1).max(4096).optional(),
  /** Newest first; at most this many (default TASK_LIST_DEFAULT_LIMIT). */
  limit: z.number().int().positive().max(10_000).optional(),
});
/** How many tasks task.list returns when no limit is given. */
export const TASK_LIST_DEFAULT_LIMIT = 200;
export const TaskUpdateRequest = z.strictObject({
  type: z.literal('task.update'),
  id: RequestId,
  taskId: TaskId,
  status: TaskStatus,
  /** Compare-and-set: refuse with CONFLICT unless the task is currently in this status. */
  from: TaskStatus.optional(),
  response: z.string().max(1_000_000).optional(),
  edit: ProposedEdit.optional(),
  note: z.string().max(2000).optional(),
});
export const TaskDeleteRequest = z.strictObject({ type: z.literal('task.delete'), id: RequestId, taskId: TaskId });

export const TokenCreateRequest = z.strictObject({
  type: z.literal('token.create'),
  id: RequestId,
  role: Role,
  name: z.string().trim().min(1).max(100).optional(),
});
export const TokenListRequest = z.strictObject({ type: z.literal('token.list'), id: RequestId });
export const TokenRevokeRequest = z.strictObject({ type: z.literal('token.revoke'), id: RequestId, tokenId: TokenId });

export const AuditTailRequest = z.strictObject({
  type: z.literal('audit.tail'),
  id: RequestId,
  n: z.number().int().positive().max(10_000).optional(),
});
export const AuditVerifyRequest = z.strictObject({ type: z.literal('audit.verify'), id: RequestId });
export const KeyRotateRequest = z.strictObject({ type: z.literal('key.rotate'), id: RequestId });

/** Every request the daemon understands. */
export const Request = z.discriminatedUnion('type', [
  PingRequest,
  DaemonStatusRequest,
  DaemonShutdownRequest,
  TaskCreateRequest,
  TaskGetRequest,
  TaskListRequest,
  TaskUpdateRequest,
  TaskDeleteRequest,
  TokenCreateRequest,
  TokenListRequest,
  TokenRevokeRequest,
  AuditTailRequest,
  AuditVerifyRequest,
  KeyRotateRequest,
]);
export type Request = z.infer<typeof Request>;
export type RequestType = Request['type'];
/** The request of one type. */
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

/** Every request type, in protocol order. */
export const REQUEST_TYPES: readonly RequestType[] = Request.options.map((o) => o.shape.type.value);

// ---- results ------------------------------------------------------------------------------------------

const AuditEntryWire = z.strictObject({
  seq: z.number().int(),
  ts: z.string(),
  type: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  hashed: z.record(z.string(), z.string()),
  prev: z.string(),
  mac: z.string(),
});

/** The result schema of each request type (clients may validate replies with these). */
export const Results = {
  ping: z.strictObject({ pong: z.literal(true), time: z.string() }),
  'daemon.status': z.strictObject({
    pid: z.number().int(),
    version: z.string(),
    protocol: z.number().int(),
    uptimeMs: z.number(),
    connections: z.number().int(),
    port: z.number().int().optional(),
    socket: z.string().optional(),
    role: Role,
    tokenId: z.string(),
  }),
  'daemon.shutdown': z.strictObject({ stopping: z.literal(true) }),
  'task.create': Task,
  'task.get': Task,
  /** `unreadable` names stored records that failed authentication (tampered or corrupted) and were skipped. */
  'task.list': z.strictObject({ tasks: z.array(Task), unreadable: z.array(z.string()).optional() }),
  'task.update': Task,
  'task.delete': DeletionReceipt,
  'token.create': z.strictObject({ ...TokenInfo.shape, token: z.string() }),
  'token.list': z.strictObject({ tokens: z.array(TokenInfo) }),
  'token.revoke': z.strictObject({ revoked: TokenId, closedConnections: z.number().int() }),
  'audit.tail': z.strictObject({ entries: z.array(AuditEntryWire) }),
  'audit.verify': z.union([
    z.strictObject({ ok: z.literal(true), entries: z.number().int() }),
    z.strictObject({ ok: z.literal(false), entries: z.number().int(), firstBad: z.number().int(), reason: z.string() }),
  ]),
  'key.rotate': z.strictObject({ reencrypted: z.number().int() }),
} as const satisfies Record<RequestType, z.ZodType>;
/** The result of one request type. */
export type ResultOf<T extends RequestType> = z.infer<(typeof Results)[T]>;

// ---- replies ------------------------------------------------------------------------------------------

/** Stable wire error codes: documented, never renamed; clients branch on them. */
export const ErrorCode = z.enum([
  'BAD_REQUEST',        // the message is not valid JSON or does not match the schema; nothing changed
  'UNAUTHENTICATED',    // the token is missing, malformed, unknown or revoked
  'FORBIDDEN',          // the token's role lacks the permission
  'RATE_LIMITED',       // the token's request budget is spent; retry later
  'NOT_FOUND',          // no such task or token
  'CONFLICT',           // an illegal status transition, a failed compare-and-set, or revoking the last admin
  'AUDIT_UNAVAILABLE',  // the audit log could not be written, so the request was refused (fail closed)
  'INTEGRITY',          // a stored record failed authentication (tampered or corrupted)
  'SHUTTING_DOWN',      // the daemon is stopping and accepts no new work
  'INTERNAL',           // anything else; the daemon log has details
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorReply = z.strictObject({
  id: RequestId.nullable(),
  ok: z.literal(false),
  error: z.strictObject({ code: ErrorCode, message: z.string() }),
});
export type ErrorReply = z.infer<typeof ErrorReply>;

export const OkReply = z.strictObject({ id: RequestId, ok: z.literal(true), result: z.unknown() });
export type OkReply = z.infer<typeof OkReply>;

/** Any reply. `id` is null only when the request was too broken to carry one. */
export const Reply = z.union([OkReply, ErrorReply]);
export type Reply = z.infer<typeof Reply>;
