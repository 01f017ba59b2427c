/** The daemon's typed error: a stable wire code and a message safe to show a client. */
import type { ErrorCode } from './messages.js';

/** A failure that maps one-to-one onto a wire error reply. */
export class DaemonError extends Error {
  constructor(readonly code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DaemonError';
  }
}
