/**
 * The audit log's public surface: `openAuditLog` for the daemon (the single writer), `verifyAuditLog` and
 * `readTail` for read-only inspection, `hashSensitive` to look up entries by a sensitive value.
 */
import { deriveAuditKeys, hashSensitive as hashField } from './format.js';
import { FileAuditLog, type AuditLogOptions } from './log.js';

export { AuditError } from './types.js';
export type { AuditEntry, AuditErrorCode, AuditEvent, AuditEventType, AuditLog, AuditVerifyResult } from './types.js';
export { FileAuditLog, type AuditLogOptions, type AuditRecovery } from './log.js';
export { readTail, verifyAuditLog } from './verify.js';
export { AUDIT_FILE, EVENT_TYPES, HEAD_FILE, TORN_FILE } from './format.js';

/** Open the audit log in `options.dir` (created 0600) and resume its chain; see FileAuditLog for recovery rules. */
export function openAuditLog(options: AuditLogOptions): Promise<FileAuditLog> {
  return FileAuditLog.open(options);
}

/** The keyed hash an entry stores for sensitive field `name` = `value` (to find entries about a value). */
export function hashSensitive(auditKey: Uint8Array, name: string, value: string): string {
  return hashField(deriveAuditKeys(auditKey), name, value);
}
