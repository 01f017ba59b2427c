/**
 * A fast, never-failing tokenizer for JavaScript, TypeScript, JSX and TSX.
 *
 * It produces parallel typed arrays (kind, start, end) instead of one object per token, skips comments and
 * whitespace, tells regex literals from division by the previous token, keeps template literals with nested
 * `${}` apart, and reads JSX elements leniently. Broken or half-typed code never throws: an unterminated string
 * ends at its line, an unterminated comment or template at the end of the text.
 */

/** Token kinds (numbers, stored in a Uint8Array). */
export const Tok = {
  Ident: 0,
  Punct: 1,
  String: 2,
  /** A template literal without substitutions. */
  Template: 3,
  /** `` `…${ `` */
  TemplateHead: 4,
  /** `}…${` */
  TemplateMiddle: 5,
  /** `` }…` `` */
  TemplateTail: 6,
  Number: 7,
  Regex: 8,
  /** `#name` */
  Private: 9,
  JsxText: 10,
} as const;

/** One of the `Tok` values. */
export type TokKind = (typeof Tok)[keyof typeof Tok];

/**
 * A token stream over a text. Token `i` spans `text.slice(start[i], end[i])`. Brackets are matched while
 * tokenizing: `match[i]` is the partner of bracket or template piece `i` (or -1), `parent[i]` the innermost open
 * bracket around token `i` (or -1). An unclosed `(` or `[` inside a block is dropped when the block's `}` comes.
 */
export interface Tokens {
  readonly text: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly match: Int32Array;
  readonly parent: Int32Array;
  /** 1 when a line break (in whitespace or a comment) separates token `i` from the token before it. */
  readonly nl: Uint8Array;
}

// Keywords after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

const enum Frame { Brace, Template, JsxAttr, JsxChild }
const enum Mode { Code, JsxTag, JsxChildren }

// ASCII character classes: 1 identifier start, 2 identifier part (digits), 4 whitespace.
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c === 92) CLASS[c] = 3;
  else if (c >= 48 && c <= 57) CLASS[c] = 2;
  else if (c === 32 || c === 10 || c === 9 || c === 13 || c === 11 || c === 12) CLASS[c] = 4;
}

function isIdentStart(c: number): boolean {
  return c < 128 ? (CLASS[c]! & 1) !== 0 : !isSpace(c);
}

function isIdentPart(c: number): boolean {
  return c < 128 ? (CLASS[c]! & 2) !== 0 : !isSpace(c);
}

function isSpace(c: number): boolean {
  if (c < 128) return CLASS[c] === 4;
  return c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

// Length of the punctuator at `i` (longest match), from character codes alone.
function punctLength(text: string, i: number, c: number): number {
  const d = text.charCodeAt(i + 1);
  const e = text.charCodeAt(i + 2);
  switch (c) {
    case 46: return d === 46 && e === 46 ? 3 : 1; // . ...
    case 61: return d === 61 ? (e === 61 ? 3 : 2) : d === 62 ? 2 : 1; // = == === =>
    case 33: return d === 61 ? (e === 61 ? 3 : 2) : 1; // ! != !==
    case 60: return d === 60 ? (e === 61 ? 3 : 2) : d === 61 ? 2 : 1; // < << <<= <=
    case 62: // > >> >>> >>= >>>= >=
      if (d === 62) { if (e === 62) return text.charCodeAt(i + 3) === 61 ? 4 : 3; return e === 61 ? 3 : 2; }
      return d === 61 ? 2 : 1;
    case 38: case 124: case 63: // & && &&= | || ||= ? ?? ??= ?.
      if (d === c) return e === 61 ? 3 : 2;
      if (c === 63 && d === 46) return e >= 48 && e <= 57 ? 1 : 2; // `a?.5:b` is a conditional
      return d === 61 && c !== 63 ? 2 : 1;
    case 42: return d === 42 ? (e === 61 ? 3 : 2) : d === 61 ? 2 : 1; // * ** **= *=
    case 43: case 45: return d === c || d === 61 ? 2 : 1; // + ++ += - -- -=
    case 47: case 37: case 94: return d === 61 ? 2 : 1; // /= %= ^=
    default: return 1;
  }
}

// First letters of the keywords after which `/` starts a regex; a cheap gate before comparing the word.
function regexAfterWord(text: string, i: number, j: number): boolean {
  const len = j - i;
  if (len < 2 || len > 10) return false;
  const c = text.charCodeAt(i);
  if (c !== 114 && c !== 116 && c !== 105 && c !== 111 && c !== 110 && c !== 100 && c !== 118 && c !== 99 && c !== 101 && c !== 121 && c !== 97) return false;
  return REGEX_AFTER_WORD.has(text.slice(i, j));
}

/** The arrays behind a token stream, and how many entries the last stream written to them used. */
interface TokenArrays extends Pick<Tokens, 'kind' | 'start' | 'end' | 'match' | 'parent' | 'nl'> {
  used: number;
}

/** Arrays of `cap` entries, as a fresh stream expects them: `match` all -1, the rest 0. */
function freshArrays(cap: number): TokenArrays {
  return {
    kind: new Uint8Array(cap), start: new Int32Array(cap), end: new Int32Array(cap), match: new Int32Array(cap).fill(-1),
    parent: new Int32Array(cap), nl: new Uint8Array(cap), used: 0,
  };
}

/**
 * Arrays kept for the next `tokenize(…, true)` in this thread. New arrays cost more than the tokenizing
 * itself on a large tree (fresh memory is zeroed and faulted in page by page): reusing them made tokenizing
 * a fifth to a third faster. Arrays for more than KEEP_TOKENS tokens (a file of about 4 MB) are not kept,
 * so a thread holds at most about 18 MB for this.
 */
let kept: TokenArrays | undefined;
const KEEP_TOKENS = 1 << 20;

/** The kept arrays when they are large enough, reset to a fresh stream's values where the last one wrote. */
function reusedArrays(cap: number): TokenArrays | undefined {
  const a = kept;
  if (!a || a.kind.length < cap) return undefined;
  const used = a.used;
  a.kind.fill(0, 0, used); a.start.fill(0, 0, used); a.end.fill(0, 0, used);
  a.match.fill(-1, 0, used); a.parent.fill(0, 0, used); a.nl.fill(0, 0, used);
  a.used = 0;
  return a;
}

/**
 * Tokenize a text. `jsx` enables JSX elements (on for .js/.jsx/.tsx, off for .ts where `<T>x` is a cast).
 * With `reuse`, the stream is written to this thread's kept arrays: it is valid only until the next call
 * with `reuse` (the analysis of one file at a time uses it so).
 */
export function tokenize(text: string, jsx = true, reuse = false): Tokens {
  const n = text.length;
  const arrays = (reuse ? reusedArrays(Math.max(64, (n >> 2) + 16)) : undefined) ?? freshArrays(Math.max(64, (n >> 2) + 16));
  let cap = arrays.kind.length;
  let kind = arrays.kind;
  let start = arrays.start;
  let end = arrays.end;
  let count = 0;
  const frames: Frame[] = [];
  const jsxDepth: number[] = [];
  let mode: Mode = Mode.Code;
  // Whether a `/` at this point starts a regex (and `<` a JSX element): true at expression starts.
  let exprStart = true;

  let nl = arrays.nl;
  let sawNewline = false;
  let match = arrays.match;
  let parent = arrays.parent;
  const open: number[] = []; // indexes of open brackets and template pieces
  let top = -1;

  const opener = (idx: number): number => (kind[idx] === Tok.Punct ? text.charCodeAt(start[idx]!) : 96);
  const pair = (at: number, idx: number): void => {
    const o = open[at]!;
    open.length = at;
    match[o] = idx; match[idx] = o;
    top = at > 0 ? open[at - 1]! : -1;
    parent[idx] = top;
  };

  const push = (k: TokKind, s: number, e: number): void => {
    if (count === cap) {
      cap *= 2;
      const k2 = new Uint8Array(cap); k2.set(kind); kind = k2;
      const s2 = new Int32Array(cap); s2.set(start); start = s2;
      const e2 = new Int32Array(cap); e2.set(end); end = e2;
      const m2 = new Int32Array(cap).fill(-1); m2.set(match); match = m2;
      const p2 = new Int32Array(cap); p2.set(parent); parent = p2;
      const n2 = new Uint8Array(cap); n2.set(nl); nl = n2;
    }
    const idx = count++;
    kind[idx] = k; start[idx] = s; end[idx] = e; parent[idx] = top;
    if (sawNewline) { nl[idx] = 1; sawNewline = false; }
    if (k === Tok.Punct) {
      if (e - s !== 1) return;
      const c = text.charCodeAt(s);
      if (c === 40 || c === 91 || c === 123) { open.push(idx); top = idx; return; }
      if (c !== 41 && c !== 93 && c !== 125) return;
      const want = c === 41 ? 40 : c === 93 ? 91 : 123;
      let at = open.length - 1;
      if (c === 125) while (at >= 0 && opener(open[at]!) !== 123) at--;
      if (at >= 0 && opener(open[at]!) === want) pair(at, idx);
    } else if (k === Tok.TemplateHead) { open.push(idx); top = idx; }
    else if (k === Tok.TemplateMiddle || k === Tok.TemplateTail) {
      let at = open.length - 1;
      while (at >= 0 && opener(open[at]!) !== 96) at--;
      if (at >= 0) pair(at, idx);
      if (k === Tok.TemplateMiddle) { open.push(idx); top = idx; }
    }
  };

  // Scans template characters from `i` (just after `` ` `` or `}`); returns the index after `` ` `` or `${`.
  const scanTemplate = (from: number, head: boolean): number => {
    let i = from;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) { i += 2; continue; }
      if (c === 96) { push(head ? Tok.Template : Tok.TemplateTail, from - 1, i + 1); return i + 1; }
      if (c === 36 && text.charCodeAt(i + 1) === 123) {
        push(head ? Tok.TemplateHead : Tok.TemplateMiddle, from - 1, i + 2);
        frames.push(Frame.Template);
        return i + 2;
      }
      i++;
    }
    push(head ? Tok.Template : Tok.TemplateTail, from - 1, n);
    return n;
  };

  let i = 0;
  if (text.charCodeAt(0) === 35 && text.charCodeAt(1) === 33) { // #! hashbang
    const nl = text.indexOf('\n');
    i = nl < 0 ? n : nl;
  }
  while (i < n) {
    const c = text.charCodeAt(i);
    if (mode === Mode.JsxChildren) {
      if (c === 123) { push(Tok.Punct, i, i + 1); frames.push(Frame.JsxChild); mode = Mode.Code; exprStart = true; i++; continue; }
      if (c === 60) { // `<`: a child element or a closing tag
        push(Tok.Punct, i, i + 1);
        i++;
        let j = i;
        while (j < n && isSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 47) { // `</name>`
          const close = text.indexOf('>', j);
          const stop = close < 0 ? n : close + 1;
          push(Tok.Punct, j, j + 1);
          i = stop;
          const depth = (jsxDepth[jsxDepth.length - 1] ?? 1) - 1;
          if (depth <= 0) { jsxDepth.pop(); mode = Mode.Code; exprStart = false; } else jsxDepth[jsxDepth.length - 1] = depth;
          continue;
        }
        mode = Mode.JsxTag;
        continue;
      }
      let j = i;
      while (j < n) { const d = text.charCodeAt(j); if (d === 123 || d === 60) break; j++; }
      if (j > i) push(Tok.JsxText, i, j);
      i = j;
      continue;
    }
    if (c === 32 || c === 10 || c === 9 || c === 13) { // whitespace runs, in a tight loop
      if (c === 10) sawNewline = true;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 32 || d === 9 || d === 13) i++;
        else if (d === 10) { sawNewline = true; i++; } else break;
      }
      continue;
    }
    if (c > 127 && isSpace(c)) { if (c === 0x2028 || c === 0x2029) sawNewline = true; i++; continue; }
    if (c < 128 && CLASS[c] === 4) { i++; continue; }
    if (mode === Mode.JsxTag) {
      if (c === 62) { // `>` ends the opening tag: children follow
        push(Tok.Punct, i, i + 1); i++;
        jsxDepth[jsxDepth.length - 1] = (jsxDepth[jsxDepth.length - 1] ?? 0) + 1;
        mode = Mode.JsxChildren;
        continue;
      }
      if (c === 47 && text.charCodeAt(i + 1) === 62) { // `/>`
        push(Tok.Punct, i, i + 2); i += 2;
        if ((jsxDepth[jsxDepth.length - 1] ?? 0) === 0) { jsxDepth.pop(); mode = Mode.Code; exprStart = false; } else mode = Mode.JsxChildren;
        continue;
      }
      if (c === 123) { push(Tok.Punct, i, i + 1); frames.push(Frame.JsxAttr); mode = Mode.Code; exprStart = true; i++; continue; }
      if (c === 34 || c === 39) { // attribute strings have no escapes and may span lines
        const close = text.indexOf(String.fromCharCode(c), i + 1);
        const stop = close < 0 ? n : close + 1;
        push(Tok.String, i, stop); i = stop; continue;
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n) { const d = text.charCodeAt(j); if (isIdentPart(d) || d === 45 || d === 58 || d === 46) j++; else break; }
        push(Tok.Ident, i, j); i = j; continue;
      }
      push(Tok.Punct, i, i + 1); i++;
      continue;
    }
    // Code mode.
    if (c === 47) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) { const nl = text.indexOf('\n', i + 2); i = nl < 0 ? n : nl; continue; }
      if (d === 42) {
        const close = text.indexOf('*/', i + 2);
        const stop = close < 0 ? n : close + 2;
        for (let k = i + 2; k < stop; k++) if (text.charCodeAt(k) === 10) { sawNewline = true; break; }
        i = stop;
        continue;
      }
      if (exprStart) {
        let j = i + 1;
        let inClass = false;
        while (j < n) {
          const e = text.charCodeAt(j);
          if (e === 10 || e === 13) break;
          if (e === 92) { j += 2; continue; }
          if (e === 91) inClass = true;
          else if (e === 93) inClass = false;
          else if (e === 47 && !inClass) { j++; break; }
          j++;
        }
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        push(Tok.Regex, i, j); i = j; exprStart = false; continue;
      }
    }
    if (c < 128 ? (CLASS[c]! & 1) !== 0 : !isSpace(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d < 128 ? (CLASS[d]! & 2) !== 0 : !isSpace(d)) j++;
        else break;
      }
      push(Tok.Ident, i, j);
      exprStart = regexAfterWord(text, i, j);
      i = j;
      continue;
    }
    if (c === 39 || c === 34) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === c) { j++; break; }
        if (d === 92) { j += 2; continue; }
        if (d === 10) break;
        j++;
      }
      if (j > n) j = n;
      push(Tok.String, i, j); i = j; exprStart = false; continue;
    }
    if (c === 96) { i = scanTemplate(i + 1, true); exprStart = text.charCodeAt(i - 1) === 123; continue; }
    if ((c >= 48 && c <= 57) || (c === 46 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)) {
      let j = i + 1;
      const hex = c === 48 && (text.charCodeAt(j) | 32) === 120;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isIdentPart(d) || d === 46) j++;
        else if ((d === 43 || d === 45) && !hex && (text.charCodeAt(j - 1) | 32) === 101) j++;
        else break;
      }
      push(Tok.Number, i, j); i = j; exprStart = false; continue;
    }
    if (c === 35) { // #private
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      push(Tok.Private, i, j); i = j; exprStart = false; continue;
    }
    if (c === 125) { // `}` closes a block, a template substitution or a JSX expression
      const frame = frames.pop();
      if (frame === Frame.Template) { i = scanTemplate(i + 1, false); exprStart = text.charCodeAt(i - 1) === 123; continue; }
      push(Tok.Punct, i, i + 1); i++;
      if (frame === Frame.JsxAttr) mode = Mode.JsxTag;
      else if (frame === Frame.JsxChild) mode = Mode.JsxChildren;
      exprStart = false;
      continue;
    }
    if (c === 123) { frames.push(Frame.Brace); push(Tok.Punct, i, i + 1); i++; exprStart = true; continue; }
    if (c === 60 && jsx && exprStart) {
      // `<Tag`, `<>` or `<ns.Tag` at an expression start opens a JSX element; `<T,>` and `<T extends` are generics.
      let j = i + 1;
      const d = text.charCodeAt(j);
      if (d === 62 || isIdentStart(d)) {
        while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46 || text.charCodeAt(j) === 45)) j++;
        let k = j;
        while (k < n && isSpace(text.charCodeAt(k))) k++;
        const after = text.charCodeAt(k);
        const generic = after === 44 || text.startsWith('extends', k);
        if (!generic) {
          push(Tok.Punct, i, i + 1);
          jsxDepth.push(0);
          if (d === 62) { push(Tok.Punct, i + 1, i + 2); jsxDepth[jsxDepth.length - 1] = 1; mode = Mode.JsxChildren; i += 2; continue; }
          mode = Mode.JsxTag;
          i++;
          continue;
        }
      }
    }
    // Punctuators, longest first.
    const len = punctLength(text, i, c);
    push(Tok.Punct, i, i + len);
    i += len;
    // After `)`, `]` the slash divides; after every other punctuator an expression starts.
    exprStart = !(c === 41 || c === 93 || (len === 2 && (c === 43 || c === 45) && text.charCodeAt(i - 1) === c));
  }
  if (reuse && cap <= KEEP_TOKENS) kept = { kind, start, end, match, parent, nl, used: count };
  return { text, count, kind, start, end, match, parent, nl };
}
