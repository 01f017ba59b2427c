/**
 * A light structure over the token stream: matching brackets, enclosing brackets, call expressions with their
 * callee paths and argument ranges, expression ends, and enclosing functions. No full parse: every helper
 * degrades gracefully on broken code (an unmatched bracket simply has no partner).
 */
import { Tok, tokenize, type Tokens } from './tokenizer.js';

/** Tokens plus bracket structure (computed by the tokenizer in the same pass). */
export type Tree = Tokens;

/** A half-open token range `[from, to)`. */
export interface Range {
  readonly from: number;
  readonly to: number;
}

/** A call expression: `callee(args)`. */
export interface Call {
  /** The callee as written with calls collapsed, e.g. `child_process.exec`, `$().html`, `Object.keys().forEach`. */
  readonly path: string;
  /** First token of the callee expression (the `new` keyword is not included). */
  readonly first: number;
  readonly open: number;
  /** The closing parenthesis, or the last token of the arguments when it is missing. */
  readonly close: number;
  readonly args: readonly Range[];
  readonly isNew: boolean;
}

/**
 * Tokenize a text and compute its bracket structure. With `reuse`, the thread's kept token arrays are used
 * (see `tokenize`): the tree is valid until the next such call.
 */
export function parseTree(text: string, jsx: boolean, reuse = false): Tree {
  return tokenize(text, jsx, reuse);
}

/** The text of token `i`. */
export function tok(t: Tree, i: number): string {
  return t.text.slice(t.start[i]!, t.end[i]!);
}

/** Whether token `i` is the punctuator `p`. */
export function isP(t: Tree, i: number, p: string): boolean {
  if (i < 0 || i >= t.count || t.kind[i] !== Tok.Punct) return false;
  const s = t.start[i]!;
  return t.end[i]! - s === p.length && t.text.startsWith(p, s);
}

/** Whether token `i` is the identifier or keyword `w`. */
export function isWord(t: Tree, i: number, w: string): boolean {
  if (i < 0 || i >= t.count || t.kind[i] !== Tok.Ident) return false;
  const s = t.start[i]!;
  return t.end[i]! - s === w.length && t.text.startsWith(w, s);
}

/** Whether a newline separates token `i - 1` from token `i`. */
export function newlineBefore(t: Tree, i: number): boolean {
  return i > 0 && i < t.count && t.nl[i] === 1;
}

const NOT_CALLEES = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof', 'function', 'await', 'yield', 'void', 'delete', 'in', 'of', 'instanceof', 'else', 'do', 'case', 'throw', 'new', 'super']);

/** The call whose `(` is token `open`, or undefined when the parenthesis is not a call. */
export function callAt(t: Tree, open: number): Call | undefined {
  const callee = calleeAt(t, open);
  if (!callee) return undefined;
  const close = t.match[open]! >= 0 ? t.match[open]! : lastOfUnclosed(t, open);
  if (isDeclaration(t, callee.first, open, close)) return undefined;
  return { path: callee.path, first: callee.first, open, close, args: splitArgs(t, open, close), isNew: isWord(t, callee.first - 1, 'new') };
}

// `function f(x) {`, a method `f(x) {`, or a TypeScript signature `f(x: T): R;` declares rather than calls.
function isDeclaration(t: Tree, first: number, open: number, close: number): boolean {
  if (isWord(t, first - 1, 'function') || (isP(t, first - 1, '*') && isWord(t, first - 2, 'function'))) return true;
  if (t.match[open]! >= 0 && isP(t, close + 1, '{')) return true;
  const a = open + 1;
  return t.kind[a] === Tok.Ident && (isP(t, a + 1, ':') || (isP(t, a + 1, '?') && isP(t, a + 2, ':')));
}

/** The callee path and first token of the call whose `(` is token `open` (no argument split: cheap). */
export function calleeAt(t: Tree, open: number): { path: string; first: number } | undefined {
  let j = open - 1;
  if (j < 0) return undefined;
  const segments: string[] = [];
  let first = -1;
  // `import(x)` and `require(x)` are calls too; keywords before `(` are not.
  for (;;) {
    const k = t.kind[j];
    if (k === Tok.Ident) {
      const w = tok(t, j);
      if (segments.length === 0 && NOT_CALLEES.has(w)) return undefined;
      segments.push(w);
      first = j;
    } else if (k === Tok.Private) {
      segments.push(tok(t, j)); first = j;
    } else if (isP(t, j, ')') && segments.length > 0 && t.match[j]! >= 0) {
      segments.push('()');
      j = t.match[j]!;
      first = j;
      j--;
      if (j >= 0 && (t.kind[j] === Tok.Ident || isP(t, j, ')') || isP(t, j, ']'))) continue;
      break;
    } else if (isP(t, j, ']') && segments.length > 0 && t.match[j]! >= 0) {
      segments.push('[]');
      j = t.match[j]!;
      first = j;
      j--;
      if (j >= 0 && (t.kind[j] === Tok.Ident || isP(t, j, ')') || isP(t, j, ']'))) continue;
      break;
    } else break;
    const before = first - 1;
    if (before >= 0 && (isP(t, before, '.') || isP(t, before, '?.'))) { j = before - 1; if (j < 0) break; continue; }
    break;
  }
  if (segments.length === 0 || segments[0] === '()' || segments[0] === '[]') return undefined;
  // `foo.bar()(x)` style: the last segment must be a name.
  if (segments.length === 1) return { path: segments[0]!, first };
  const path = segments.reverse().join('.').replace(/\.\(\)/g, '()').replace(/\.\[\]/g, '[]');
  return { path, first };
}

function lastOfUnclosed(t: Tree, open: number): number {
  // Broken code: the arguments run to the end of the line.
  let i = open + 1;
  while (i < t.count && !newlineBefore(t, i)) i = skip(t, i);
  return Math.min(i, t.count);
}

/** The offset where a call's source text ends (after its `)`, or its last argument when unclosed). */
export function callEnd(t: Tree, call: Call): number {
  if (t.match[call.open]! >= 0) return t.end[call.close]!;
  return t.end[Math.max(call.open, call.close - 1)]!;
}

/** The token after `i`, jumping over a whole bracketed group or template when `i` opens one. */
export function skip(t: Tree, i: number): number {
  const m = t.match[i]!;
  if (m > i) {
    let j = m;
    while (t.kind[j] === Tok.TemplateMiddle && t.match[j]! > j) j = t.match[j]!;
    return j + 1;
  }
  return i + 1;
}

/** Split the tokens between `open` and `close` at top-level commas. */
export function splitArgs(t: Tree, open: number, close: number): Range[] {
  const out: Range[] = [];
  let from = open + 1;
  let i = from;
  while (i < close) {
    if (isP(t, i, ',')) { if (i > from) out.push({ from, to: i }); from = i + 1; i++; continue; }
    i = skip(t, i);
  }
  if (close > from) out.push({ from, to: Math.min(close, t.count) });
  return out;
}

const STATEMENT_WORDS = new Set(['const', 'let', 'var', 'if', 'for', 'while', 'return', 'function', 'class', 'switch', 'try', 'throw', 'import', 'export', 'do']);

/** The end (exclusive) of the expression starting at `from`: a top-level `;`, `,`, closer, or an ASI line break. */
export function exprEnd(t: Tree, from: number): number {
  let i = from;
  const limit = Math.min(t.count, from + 4000);
  while (i < limit) {
    if (t.kind[i] === Tok.Punct) {
      const c = t.text.charCodeAt(t.start[i]!);
      const len = t.end[i]! - t.start[i]!;
      if (len === 1 && (c === 59 || c === 44 || c === 41 || c === 93 || c === 125)) return i;
      if ((c === 40 || c === 91 || c === 123) && len === 1) {
        if (t.match[i]! < 0) return i;
        i = skip(t, i);
        continue;
      }
    } else if (i > from && newlineBefore(t, i) && t.kind[i] === Tok.Ident && STATEMENT_WORDS.has(tok(t, i))) return i;
    else if (i > from && newlineBefore(t, i) && continues(t, i - 1) === false && t.kind[i] !== Tok.Punct) return i;
    i = skip(t, i);
  }
  return i;
}

// Whether the expression may go on after token `i` on the next line (an operator or an opener ends the line).
function continues(t: Tree, i: number): boolean {
  if (t.kind[i] !== Tok.Punct) return false;
  const p = tok(t, i);
  return p !== ')' && p !== ']' && p !== '}' && p !== '++' && p !== '--';
}

const CONTROL = new Set(['if', 'for', 'while', 'switch', 'catch', 'with']);

/** If the `{` at `open` starts a function body, the function's name ('' when anonymous); otherwise undefined. */
export function functionName(t: Tree, open: number): string | undefined {
  const j = open - 1;
  if (isP(t, j, '=>')) return arrowName(t, j - 1);
  const close = paramsClose(t, open);
  if (close < 0) return undefined;
  const po = t.match[close]!;
  if (po < 0) return undefined;
  const before = po - 1;
  if (before < 0) return undefined;
  if (t.kind[before] === Tok.Ident) {
    const w = tok(t, before);
    if (CONTROL.has(w)) return undefined;
    if (w === 'function') return assignedName(t, before - 1);
    return w;
  }
  return undefined;
}

/** The name an arrow function is assigned to, given the token before its `=>` ('' when none). */
export function arrowName(t: Tree, j: number): string {
  // `name = (a) =>`, `name = async a =>`, `name: (a) =>`
  let k = j;
  if (isP(t, k, ')') && t.match[k]! >= 0) k = t.match[k]! - 1;
  else k--;
  if (isWord(t, k, 'async')) k--;
  return assignedName(t, k);
}

function assignedName(t: Tree, k: number): string {
  if ((isP(t, k, '=') || isP(t, k, ':')) && t.kind[k - 1] === Tok.Ident) return tok(t, k - 1);
  return '';
}

/**
 * The `)` closing the parameters of a function or method whose body opens at `open` (not an arrow), past a
 * TypeScript return type (`): Promise<Response> {`); -1 when `open` does not follow a parameter list.
 */
export function paramsClose(t: Tree, open: number): number {
  const j = open - 1;
  if (isP(t, j, ')')) return j;
  let k = j;
  for (let steps = 0; k >= 0 && steps < 12; steps++) {
    if (isP(t, k, ':') && isP(t, k - 1, ')')) return k - 1;
    if (isP(t, k, ';') || isP(t, k, '{') || isP(t, k, '}')) return -1;
    k = t.match[k]! >= 0 && t.match[k]! < k ? t.match[k]! - 1 : k - 1;
  }
  return -1;
}

/** The innermost function body `{` enclosing token `i`, or -1 at the top level. */
export function enclosingFunction(t: Tree, i: number): number {
  for (let p = t.parent[i]!; p >= 0; p = t.parent[p]!) {
    if (isP(t, p, '{') && functionName(t, p) !== undefined) return p;
  }
  return -1;
}

/** The string value of a string or no-substitution template token, without quotes (escapes kept as written). */
export function stringValue(t: Tree, i: number): string | undefined {
  const k = t.kind[i];
  if (k !== Tok.String && k !== Tok.Template) return undefined;
  const s = t.start[i]!;
  const e = t.end[i]!;
  const closed = e - s >= 2 && t.text.charCodeAt(e - 1) === t.text.charCodeAt(s);
  return t.text.slice(s + 1, closed ? e - 1 : e);
}

/** Parse an object literal `{ … }` at `open` into its keys and value ranges (computed and spread entries skipped). */
export function objectEntries(t: Tree, open: number): Map<string, Range & { key: number }> {
  const out = new Map<string, Range & { key: number }>();
  const close = t.match[open]! >= 0 ? t.match[open]! : t.count;
  for (const entry of splitArgs(t, open, close)) {
    const k = entry.from;
    let key: string | undefined;
    if (t.kind[k] === Tok.Ident) key = tok(t, k);
    else if (t.kind[k] === Tok.String) key = stringValue(t, k);
    if (key === undefined) continue;
    if (isP(t, k + 1, ':')) out.set(key, { key: k, from: k + 2, to: entry.to });
    else if (k + 1 === entry.to) out.set(key, { key: k, from: k, to: entry.to }); // shorthand
  }
  return out;
}
