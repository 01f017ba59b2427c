/** Writing to the audit log before acting, and refusing the request when the log cannot be written. */
import type { AuditEntry, AuditEvent, AuditLog } from '../audit/types.js';
import { DaemonError } from '../protocol/index.js';

/** Append an event; if the audit log refuses it, throw AUDIT_UNAVAILABLE so the caller changes nothing. */
export async function recordOrRefuse(audit: AuditLog, event: AuditEvent): Promise<AuditEntry> {
  try {
    return await audit.append(event);
  } catch (err) {
    throw new DaemonError('AUDIT_UNAVAILABLE', 'the audit log cannot be written, so the request was refused', { cause: err });
  }
}
