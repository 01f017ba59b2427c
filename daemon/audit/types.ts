/**
 * The audit log's interface. Entries are chained: each carries an HMAC (under the audit key, separate from the
 * data key) over its content and the previous entry's MAC, so an edited, deleted, reordered or truncated log
 * is detected by `verify`, which names the first bad entry. Sensitive fields are stored as keyed hashes.
 * If an entry cannot be written, `append` rejects and the caller must refuse the request (fail closed).
 */

/** What happened. Stable strings: scripts filter on them. */
export type AuditEventType =
  | 'daemon.start' | 'daemon.stop'
  | 'auth.ok' | 'auth.denied' | 'permission.denied' | 'rate.limited'
  | 'task.created' | 'task.updated' | 'task.deleted'
  | 'token.created' | 'token.revoked'
  | 'provider.added' | 'provider.removed'
  | 'model.access'
  | 'key.rotated';

/** An event to record. `sensitive` values are never stored: only their keyed hashes are. */
export interface AuditEvent {
  readonly type: AuditEventType;
  /** Who: a token id (never the token), or `system`. */
  readonly actor: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
  readonly sensitive?: Readonly<Record<string, string>>;
}

/** A stored entry. */
export interface AuditEntry {
  readonly seq: number;
  readonly ts: string;
  readonly type: AuditEventType;
  readonly actor: string;
  readonly detail: Readonly<Record<string, string | number | boolean>>;
  /** name → hex HMAC of the value under the audit key. */
  readonly hashed: Readonly<Record<string, string>>;
  /** MAC of the previous entry (hex; zeros for the first). */
  readonly prev: string;
  /** HMAC-SHA256 over this entry's canonical form including `prev` (hex). */
  readonly mac: string;
}

/** Outcome of verifying the chain. */
export type AuditVerifyResult =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly entries: number; readonly firstBad: number; readonly reason: string };

/** Stable error codes. */
export type AuditErrorCode = 'AUDIT_WRITE_FAILED' | 'AUDIT_CORRUPT';

/** An audit failure with a stable code. */
export class AuditError extends Error {
  constructor(readonly code: AuditErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditError';
  }
}

/** The append-only, tamper-evident log. */
export interface AuditLog {
  append(event: AuditEvent): Promise<AuditEntry>;
  /** The last `n` entries, oldest first. */
  tail(n: number): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerifyResult>;
  close(): Promise<void>;
}
