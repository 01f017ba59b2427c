/** What every check receives: the tree, the flow state, imports, and a reporter; plus small shared helpers. */
import type { Fix, Reporter } from '../../types.js';
import { Tok } from './tokenizer.js';
import type { Flow } from './flow.js';
import type { ImportMap } from './imports.js';
import { Ctx } from './flow.js';
import { enclosingFunction, functionName, isP, skip, stringValue, tok, type Range, type Tree } from './syntax.js';

/** The state of one file's analysis. */
export interface Scan {
  readonly t: Tree;
  readonly flow: Flow;
  readonly imports: ImportMap;
  readonly report: Reporter;
  /** `$1` placeholders (PostgreSQL drivers are imported) rather than `?`. */
  readonly dollarPlaceholders: boolean;
  /** The local name bound to Node's crypto module, if any. */
  readonly cryptoName: string | undefined;
  /** A test, fixture or example file (by its path): fixed secrets there sign nothing real. */
  readonly testFile: boolean;
}

/** Report a finding over offsets. */
export function emit(s: Scan, ruleId: string, start: number, end: number, message: string, fix?: Fix): void {
  s.report.finding({ ruleId, start, end, message, ...(fix ? { fix } : {}) });
}

/** Source text of a token range, whitespace collapsed and shortened for messages. */
export function rangeText(t: Tree, r: Range, max = 60): string {
  if (r.to <= r.from) return '';
  const raw = t.text.slice(t.start[r.from]!, t.end[r.to - 1]!).replace(/\s+/g, ' ');
  return raw.length > max ? `${raw.slice(0, max - 1)}…` : raw;
}

/** Split an identifier into lower-case words: `resetToken_v2` → reset, token, v2. */
export function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass', 'pw', 'passcode']);

/** Whether an identifier names a password. */
export function isPasswordName(name: string): boolean {
  return words(name).some((w) => PASSWORD_WORDS.has(w)) || /password/i.test(name);
}

/** Whether any identifier in a range names a password. */
export function mentionsPassword(t: Tree, r: Range): boolean {
  for (let i = r.from; i < r.to; i++) if (t.kind[i] === Tok.Ident && isPasswordName(tok(t, i))) return true;
  return false;
}

/** The name of the function enclosing token `i` ('' when anonymous or at the top level). */
export function enclosingFunctionName(t: Tree, i: number): string {
  const open = enclosingFunction(t, i);
  return open < 0 ? '' : functionName(t, open) ?? '';
}

/** The source text of the body of the function enclosing token `i` (the whole file at the top level). */
export function enclosingBodyText(t: Tree, i: number): string {
  const open = enclosingFunction(t, i);
  if (open < 0) return t.text;
  const close = t.match[open]!;
  return t.text.slice(t.start[open]!, close >= 0 ? t.end[close]! : t.text.length);
}

/**
 * Whether a URL-ish expression starts with a fixed relative path (`/users/…`), a fixed scheme and host
 * (`https://api.example.com/…`), or a leading value that is not request data (`${API_BASE}/users/${id}`,
 * `BASE + path`), so that request data after it cannot change which host it points to.
 */
export function fixedPrefix(s: Scan, r: Range): boolean {
  const t = s.t;
  if (r.to <= r.from) return false;
  const k = t.kind[r.from];
  let lead: string | undefined;
  if (k === Tok.String) lead = stringValue(t, r.from);
  else if (k === Tok.TemplateHead) {
    lead = tok(t, r.from).slice(1, -2);
    if (lead === '') {
      const close = t.match[r.from]!;
      if (close < 0) return false;
      return !leadTainted(s, { from: r.from + 1, to: close });
    }
  } else if (k === Tok.Ident) {
    lead = s.flow.lookup(tok(t, r.from))?.value;
    if (lead === undefined) {
      // `BASE + path`: a non-request first operand fixes the host.
      for (let i = r.from; i < r.to; i = skip(t, i)) {
        if (isP(t, i, '+')) return !leadTainted(s, { from: r.from, to: i });
      }
      return false;
    }
  }
  if (lead === undefined) return false;
  return /^\/[^/\\]/.test(lead) || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(lead) || /^\.\.?\//.test(lead) || /^[?#]/.test(lead);
}

function leadTainted(s: Scan, r: Range): boolean {
  const v = s.flow.classify(r.from, r.to);
  return v.taint !== undefined && (v.taintMask & Ctx.Url) === 0;
}
