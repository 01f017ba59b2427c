/**
 * The mechanical fix for SQL concatenation: `db.query("… WHERE id = " + id)` or a template literal becomes
 * `db.query("… WHERE id = $1", [id])` (`?` unless a PostgreSQL driver is imported). Only shapes that can be
 * rewritten exactly are fixed: literal pieces in one quote style, values between them, and quotes around a value
 * (`'" + name + "'`) dropped because the placeholder replaces the quoted literal.
 */
import type { Fix } from '../../types.js';
import { Tok } from './tokenizer.js';
import type { Scan } from './context.js';
import { isP, skip, type Range } from './syntax.js';

interface Piece {
  readonly literal: boolean;
  /** Literal content without quotes, or the value expression's source. */
  readonly text: string;
}

function concatPieces(s: Scan, r: Range): { pieces: Piece[]; quote: string } | undefined {
  const t = s.t;
  const pieces: Piece[] = [];
  let quote = '';
  let from = r.from;
  const flush = (to: number): boolean => {
    if (to <= from) return false;
    if (to === from + 1 && t.kind[from] === Tok.String) {
      const raw = t.text.slice(t.start[from]!, t.end[from]!);
      const q = raw[0]!;
      if (quote && q !== quote) return false;
      if (raw.length < 2 || raw[raw.length - 1] !== q) return false;
      quote = q;
      pieces.push({ literal: true, text: raw.slice(1, -1) });
    } else {
      pieces.push({ literal: false, text: t.text.slice(t.start[from]!, t.end[to - 1]!).trim() });
    }
    return true;
  };
  for (let i = r.from; i < r.to; i = skip(t, i)) {
    if (isP(t, i, '+')) { if (!flush(i)) return undefined; from = i + 1; }
    else if (t.kind[i] === Tok.Template || t.kind[i] === Tok.TemplateHead) return undefined;
  }
  if (!flush(r.to)) return undefined;
  return { pieces, quote };
}

function templatePieces(s: Scan, r: Range): Piece[] | undefined {
  const t = s.t;
  if (t.kind[r.from] !== Tok.TemplateHead || skip(t, r.from) !== r.to) return undefined;
  const pieces: Piece[] = [];
  let i = r.from;
  for (;;) {
    const raw = t.text.slice(t.start[i]!, t.end[i]!);
    const k = t.kind[i];
    pieces.push({ literal: true, text: raw.slice(1, k === Tok.TemplateTail ? -1 : -2) });
    if (k === Tok.TemplateTail) return pieces;
    const next = t.match[i]!;
    if (next < 0) return undefined;
    pieces.push({ literal: false, text: t.text.slice(t.end[i]!, t.start[next]!).trim() });
    i = next;
  }
}

/** The fix for a SQL string argument, or undefined when its shape cannot be rewritten exactly. */
export function sqlFix(s: Scan, r: Range): Fix | undefined {
  const t = s.t;
  const template = t.kind[r.from] === Tok.TemplateHead;
  const parsed = template ? { pieces: templatePieces(s, r), quote: '`' } : concatPieces(s, r);
  const pieces = parsed?.pieces;
  if (!parsed || !pieces || !pieces.some((p) => !p.literal)) return undefined;
  let sql = '';
  const values: string[] = [];
  for (let n = 0; n < pieces.length; n++) {
    const p = pieces[n]!;
    if (p.literal) { sql += p.text; continue; }
    if (n > 0 && !pieces[n - 1]!.literal) return undefined; // two values side by side: meaning unclear
    const before = sql.slice(-1);
    const next = pieces[n + 1];
    const after = next?.literal ? next.text[0] ?? '' : '';
    if (before === "'" || before === '"') {
      // A quoted value: the placeholder replaces the whole quoted literal.
      if (after !== before) return undefined;
      sql = sql.slice(0, -1);
      pieces[n + 1] = { literal: true, text: next!.text.slice(1) };
    } else if (/[%\w]/.test(before) || /[%\w'"]/.test(after)) return undefined; // inside a word or a LIKE pattern
    values.push(p.text);
    sql += s.dollarPlaceholders ? `$${values.length}` : '?';
  }
  if (template && /\$\{|`/.test(sql.replace(/\\./g, ''))) return undefined;
  const q = parsed.quote;
  const newText = `${q}${sql}${q}, [${values.join(', ')}]`;
  return {
    title: `Use ${s.dollarPlaceholders ? '$n' : '?'} placeholders and pass the values separately`,
    edits: [{ start: t.start[r.from]!, end: t.end[r.to - 1]!, newText }],
  };
}
