/** Turning a websocket frame into a validated request, or into a BAD_REQUEST reply that names the problem. */
import { Request, RequestId, type ErrorReply } from './messages.js';

/** The outcome of parsing one frame. */
export type ParsedFrame =
  | { readonly ok: true; readonly request: Request }
  | { readonly ok: false; readonly reply: ErrorReply };

/** How many zod issues a BAD_REQUEST message lists before it says "and N more". */
const MAX_LISTED_ISSUES = 3;

/** Parse and validate one text frame. Never throws: anything wrong becomes a BAD_REQUEST reply. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return badRequest(null, 'message is not valid JSON');
  }
  // Echo the id when the broken message still carries a usable one, so the client can match the reply.
  const rawId = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined;
  const idCheck = RequestId.safeParse(rawId);
  const id = idCheck.success ? idCheck.data : null;
  const parsed = Request.safeParse(value);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issues = parsed.error.issues;
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.path.length ? i.path.join('.') : '(message)'}: ${i.message}`);
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  return badRequest(id, `invalid request: ${listed.join('; ')}${more}`);
}

function badRequest(id: RequestId | null, message: string): ParsedFrame {
  return { ok: false, reply: { id, ok: false, error: { code: 'BAD_REQUEST', message: truncate(message) } } };
}

/** Keep error messages short: they may quote attacker-controlled keys. */
function truncate(message: string): string {
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}
