/**
 * Local data flow: block-scoped variables, request-derived sources, sanitizers, and the classification of an
 * expression as constant, dynamic or tainted (request-derived), per sink context.
 */
import { Tok } from './tokenizer.js';
import { calleeAt, enclosingFunction, exprEnd, isP, isWord, paramsClose, skip, stringValue, tok, type Tree } from './syntax.js';
import { resolvePath, type ImportMap } from './imports.js';

/** Sink contexts; a sanitizer makes a value safe for some of them. */
export const Ctx = { Html: 1, Path: 2, Url: 4, Sql: 8, Cmd: 16, Key: 32, Code: 64 } as const;
/** Every context. */
export const ALL_CTX = 127;

/** What is known about a value (a variable or an expression). */
export interface Value {
  /** No part of it comes from anywhere but literals and constants. */
  readonly constant: boolean;
  /** The string itself, when it is a single literal or a constant holding one. */
  readonly value?: string;
  /** Where request-derived data in it comes from (e.g. `req.query.file`). */
  readonly taint?: string;
  /** Contexts in which every tainted part has been sanitized. */
  readonly taintMask: number;
  /** Contexts in which every non-constant part has been sanitized. */
  readonly dynMask: number;
  /** Its literal pieces look like SQL. */
  readonly sqlText: boolean;
  /** Its literal pieces contain markup. */
  readonly htmlText: boolean;
  /** A fact about what the value is, e.g. `null-proto`, `hash:md5`. */
  readonly note?: string;
  /**
   * Contexts in which the request's own text arrives in it unsanitized. Taint that came only through what a call
   * returned for request data (`await Post.findById(req.params.id)`, `fetch(req.query.url)`) is not here: the
   * value depends on the request but is not its text.
   */
  readonly reflect?: number;
}

/** A constant value. */
export const CONSTANT: Value = { constant: true, taintMask: ALL_CTX, dynMask: ALL_CTX, sqlText: false, htmlText: false };

/** Whether request-derived data reaches a context unsanitized. */
export function taintedFor(v: Value, ctx: number): boolean {
  return v.taint !== undefined && (v.taintMask & ctx) === 0;
}

/** Whether the request's own text (not just something looked up with it) reaches a context unsanitized. */
export function reflectedFor(v: Value, ctx: number): boolean {
  return taintedFor(v, ctx) && ((v.reflect ?? 0) & ctx) !== 0;
}

/** Whether non-constant data reaches a context unsanitized. */
export function dynamicFor(v: Value, ctx: number): boolean {
  return !v.constant && (v.dynMask & ctx) === 0;
}

const SQL_TEXT = /\b(?:select\s[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|where\s|order\s+by|values\s*\()/i;
const HTML_TEXT = /<[a-zA-Z!/]/;

// Callee paths (after import resolution) whose result is safe in some contexts.
const NUMERIC = ALL_CTX;
const SANITIZERS: ReadonlyArray<[RegExp, number]> = [
  [/^(?:parseInt|parseFloat|Number|Boolean|isNaN|Math\.\w+|Number\.\w+|Date\.now|uuid\w*|crypto\.randomUUID)$/, NUMERIC],
  [/^(?:DOMPurify\.sanitize|dompurify\.sanitize|\w*\.?sanitize\w*|sanitizeHtml|sanitize-html|escapeHtml|escape-html|\w*\.?escapeHTML|he\.(?:encode|escape)|xss|filterXSS|validator\.escape|_\.escape|lodash\.escape|encodeHTML|htmlEscape|escape)$/, Ctx.Html],
  [/^(?:path\.basename|basename|sanitize-filename|sanitizeFilename)$/, Ctx.Path],
  [/^(?:encodeURIComponent|encodeURI)$/, Ctx.Url | Ctx.Path],
  [/^(?:\w+\.escape|escapeId|\w+\.escapeId|SqlString\.escape|sqlstring\.escape|pg-format|format|\w+\.escapeLiteral|\w+\.escapeIdentifier)$/, Ctx.Sql],
  [/^(?:shell-quote\.quote|shellescape|shell-escape|quote|shellQuote\.quote)$/, Ctx.Cmd],
  // JSON text is a literal when compiled as code (`new Function(\`return import(${JSON.stringify(x)})\`)`).
  [/^JSON\.stringify$/, Ctx.Code],
];

// Last names of every sanitizer above: a cheap gate before the full patterns.
const SANITIZER_NAMES = /^(?:parseInt|parseFloat|Number|Boolean|isNaN|\w*[Ss]aniti[sz]e\w*|\w*[Ee]scape\w*|encode\w*|xss|filterXSS|basename|format|quote|shellescape|htmlEscape|encodeHTML|random|floor|round|ceil|min|max|abs|trunc|now|uuid\w*|v4|randomUUID|default|stringify)$/;

function sanitizerMask(path: string): number {
  let mask = 0;
  for (const [re, m] of SANITIZERS) if (re.test(path)) mask |= m;
  return mask;
}

// Request-derived sources, matched against a member chain such as `req.query`.
const SOURCES: readonly RegExp[] = [
  /^(?:req|request)\.(?:query|params|body|headers|cookies|signedCookies|files?|originalUrl|url|path)$/,
  /^ctx\.(?:query|params|headers|cookies|body|querystring|request\.(?:body|query|headers|files?|querystring))$/,
  /^(?:event|evt)\.(?:queryStringParameters|pathParameters|multiValueQueryStringParameters|body|headers|data)$/,
  /^(?:window\.|document\.)?location\.(?:search|hash|href)$/,
  /^document\.(?:URL|referrer|documentURI)$/,
  /^window\.name$/,
  /^router\.query$/,
];
// Sources that are calls: `req.get('x')`, `searchParams.get('next')`, `await request.json()`.
const CALL_SOURCES: readonly RegExp[] = [
  /^(?:req|request|ctx)\.(?:get|header|param|json|formData|text)$/,
  /(?:^|\.)searchParams\.get$/,
  /^ctx\.cookies\.get$/,
];

// Parameters that sit beside an HTTP request in handler signatures.
const HTTP_COMPANIONS = new Set(['response', 'res', 'reply', 'h', 'next', 'ctx', 'context', 'env', 'event', 'params', 'server', 'info']);

// Hono's `c.req` methods that return request data.
const HONO_ACCESSORS = new Set(['query', 'queries', 'param', 'header', 'json', 'text', 'formData', 'parseBody', 'arrayBuffer', 'blob', 'valid']);

const GUARDS = new Set(['includes', 'has', 'test', 'startsWith', 'indexOf', 'isValid', 'isSafeUrl', 'isAllowed']);
const SOURCE_HEADS = new Set(['req', 'request', 'ctx', 'event', 'evt', 'window', 'document', 'location', 'router', 'searchParams']);
const CONST_WORDS = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity', 'typeof', 'void', '__dirname', '__filename', 'await']);
// `<` and `>` are left out: in TypeScript they are as often generics and casts as comparisons.
const COMPARISONS = new Set(['===', '!==', '==', '!=', '<=', '>=', '!', 'instanceof', 'in']);

/** A variable whose initializer has not been classified yet: most variables never reach a sink, so this is lazy. */
interface Pending {
  readonly from: number;
  readonly to: number;
  readonly map: ((v: Value) => Value) | undefined;
}

type Slot = Value | Pending;

function isPending(slot: Slot): slot is Pending {
  return (slot as Pending).from !== undefined;
}

const UNKNOWN_VALUE: Value = { constant: false, taintMask: ALL_CTX, dynMask: 0, sqlText: false, htmlText: false };

/** The note on a value that is one `new X(…)` expression. */
const CONSTRUCTED = 'constructed';

/** Scoped variables and expression classification for one file. */
export class Flow {
  // name → its values and the block depth of each, innermost last (an implicit global's depth is -1: no
  // block declared it). Declarations are also kept as a flat (name, depth) list so that entering a block costs
  // nothing and leaving one pops only what it declared.
  private readonly vars = new Map<string, { readonly slots: Slot[]; readonly depths: number[] }>();
  private readonly names: string[] = [];
  private readonly depths: number[] = [];
  private depth = 0;

  constructor(private readonly t: Tree, private readonly imports: ImportMap) {}

  /** Enter a `{ … }` block. */
  enter(): void {
    this.depth++;
  }

  /** Leave a block (the file scope is never left). */
  leave(): void {
    if (this.depth === 0) return;
    while (this.depths.length && this.depths[this.depths.length - 1] === this.depth) {
      this.depths.pop();
      const name = this.names.pop()!;
      const binding = this.vars.get(name)!;
      binding.slots.pop();
      binding.depths.pop();
      if (binding.slots.length === 0) this.vars.delete(name);
    }
    this.depth--;
  }

  /** Declare a variable in the innermost block. */
  declare(name: string, v: Slot): void {
    const binding = this.vars.get(name);
    if (binding) {
      const top = binding.slots.length - 1;
      if (binding.depths[top] === this.depth) { // declared again in the same block
        binding.slots[top] = v;
        return;
      }
      binding.slots.push(v);
      binding.depths.push(this.depth);
    } else this.vars.set(name, { slots: [v], depths: [this.depth] });
    this.names.push(name);
    this.depths.push(this.depth);
  }

  /** Declare a variable whose value is the expression `[from, to)`, classified when first needed. */
  declareLazy(name: string, from: number, to: number, map?: (v: Value) => Value): void {
    this.declare(name, { from, to, map });
  }

  /** Assign the expression `[from, to)` to a variable, classified when first needed (`to` -1: find its end then). */
  assignLazy(name: string, from: number, to: number): void {
    this.assign(name, { from, to, map: undefined });
  }

  /** Assign to an existing variable (or declare an implicit global in the file scope). */
  assign(name: string, v: Slot): void {
    const binding = this.vars.get(name);
    if (binding) { binding.slots[binding.slots.length - 1] = v; return; }
    // An implicit global (or an undeclared parameter): it is never popped, like a file-level name.
    this.vars.set(name, { slots: [v], depths: [-1] });
  }

  /** The value of a variable, if declared. */
  lookup(name: string): Value | undefined {
    const stack = this.vars.get(name)?.slots;
    if (!stack) return undefined;
    const at = stack.length - 1;
    const slot = stack[at]!;
    if (!isPending(slot)) return slot;
    stack[at] = UNKNOWN_VALUE; // a self-reference while classifying reads as unknown
    const raw = this.classify(slot.from, slot.to < 0 ? exprEnd(this.t, slot.from) : slot.to);
    const v = slot.map ? slot.map(raw) : raw;
    stack[at] = v;
    return v;
  }

  /** Mark a variable as checked for some contexts (an allow-list or prefix check was applied to it). */
  guard(name: string, mask: number): void {
    const v = this.lookup(name);
    if (v) this.assign(name, { ...v, taintMask: v.taintMask | mask, dynMask: v.dynMask | mask });
  }

  /** The request source starting at identifier `i`, with the token after it; undefined when it is not one. */
  sourceAt(i: number): { origin: string; next: number } | undefined {
    const t = this.t;
    const first = tok(t, i);
    if (first === 'new') return this.urlParamAt(i);
    const hono = this.honoSourceAt(i);
    if (hono) return hono;
    if (!SOURCE_HEADS.has(first)) {
      // Otherwise only `….searchParams.get(…)` can start elsewhere.
      let j = i + 1;
      let found = false;
      for (let n = 0; n < 5 && (isP(t, j, '.') || isP(t, j, '?.')); n++, j += 2) if (tok(t, j + 1) === 'searchParams') { found = true; break; }
      if (!found) return undefined;
    }
    if (this.imports.has(first)) return undefined; // `request` the HTTP client, not a request object
    // `const request = new Request(url, opts)`: an object this code built (an outgoing fetch, a URL), not the
    // request it was handed. Handler parameters are never declared, so they still count.
    if (SOURCE_HEADS.has(first) && this.vars.has(first) && this.lookup(first)?.note === CONSTRUCTED) return undefined;
    let chain = first;
    let j = i + 1;
    let matched: { origin: string; segments: number } | undefined;
    for (let segments = 1; segments < 8; segments++) {
      if (matched === undefined && SOURCES.some((re) => re.test(chain))) matched = { origin: chain, segments };
      else if (matched !== undefined && matched.segments === segments - 1 && !isP(t, j, '(')) {
        // Name the source down to the field read from it: `req.query.file`, not just `req.query`.
        matched = { origin: chain, segments };
      }
      if (!((isP(t, j, '.') || isP(t, j, '?.')) && t.kind[j + 1] === Tok.Ident)) break;
      const next = `${chain}.${tok(t, j + 1)}`;
      if (isP(t, j + 2, '(') && matched === undefined) {
        if (!CALL_SOURCES.some((re) => re.test(next))) return undefined;
        const close = t.match[j + 2]!;
        const arg = stringValue(t, j + 3);
        return { origin: `${next}(${arg !== undefined ? `'${arg}'` : ''})`, next: close > j ? close + 1 : j + 3 };
      }
      if (isP(t, j + 2, '(')) break; // a method of the source: the source ends before it
      chain = next;
      j += 2;
    }
    if (matched && first === 'request' && !this.httpRequestParam(i)) return undefined;
    return matched ? { origin: matched.origin, next: j } : undefined;
  }

  /**
   * Whether a `request` at token `i` is an HTTP request: unless some enclosing function takes it as a parameter
   * next to parameters of another kind, it is. Webpack and enhanced-resolve plugins call their resolver object
   * `request` too (`(request, resolveContext, callback) => fs.stat(request.path, …)`); an HTTP handler takes it
   * alone (`GET(request)`) or with a response (`(request, reply)`, `(request, h)`, `(request, response, next)`).
   */
  private httpRequestParam(i: number): boolean {
    const t = this.t;
    for (let open = enclosingFunction(t, i); open >= 0; open = enclosingFunction(t, open)) {
      const params = functionParams(t, open);
      if (!params?.includes('request')) continue;
      return params.length === 1 || params.some((p) => HTTP_COMPANIONS.has(p));
    }
    return true;
  }

  /**
   * Hono's request accessors on its context, whatever the context is called: `c.req.query('q')`,
   * `c.req.param('id')`, `await c.req.json()`, `c.req.header('x-forwarded-host')`.
   */
  private honoSourceAt(i: number): { origin: string; next: number } | undefined {
    const t = this.t;
    if (!(isP(t, i + 1, '.') && isWord(t, i + 2, 'req') && isP(t, i + 3, '.') && t.kind[i + 4] === Tok.Ident && isP(t, i + 5, '('))) return undefined;
    const method = tok(t, i + 4);
    if (!HONO_ACCESSORS.has(method)) return undefined;
    const close = t.match[i + 5]!;
    const key = stringValue(t, i + 6);
    return { origin: `${tok(t, i)}.req.${method}(${key !== undefined ? `'${key}'` : ''})`, next: close > i + 5 ? close + 1 : i + 6 };
  }

  /**
   * `new URL(request.url).searchParams.get('next')` at `new` (how Next.js route handlers and browser code read a
   * query parameter): a source when the URL parsed is the request's or the page's own.
   */
  private urlParamAt(i: number): { origin: string; next: number } | undefined {
    const t = this.t;
    const open = i + 2;
    if (!isWord(t, i + 1, 'URL') || !isP(t, open, '(')) return undefined;
    const close = t.match[open]!;
    if (!(close > open && isP(t, close + 1, '.') && isWord(t, close + 2, 'searchParams') && isP(t, close + 3, '.') && isWord(t, close + 4, 'get') && isP(t, close + 5, '('))) return undefined;
    if (this.classify(open + 1, close).taint === undefined) return undefined;
    const end = t.match[close + 5]!;
    const key = stringValue(t, close + 6);
    return { origin: `searchParams.get(${key !== undefined ? `'${key}'` : ''})`, next: end > close + 5 ? end + 1 : close + 6 };
  }

  /** Classify the tokens `[from, to)` as one expression. */
  classify(from: number, to: number): Value {
    const t = this.t;
    let constant = true;
    let taint: string | undefined;
    let taintMask = ALL_CTX;
    let dynMask = ALL_CTX;
    let pieces = '';
    let boolish = false;
    let sawGuard = false;
    let guarded = false;
    let note: string | undefined;
    // Tokens before `opaqueEnd` are arguments of a call whose result is not its input (I/O, lookups): taint found
    // there does not reflect the request's text.
    let opaqueEnd = -1;
    let reflect = 0;
    const covers: number[] = []; // pairs: end token, mask
    let cover = 0;
    const top = t.parent[from]!;
    const markDynamic = (mask: number): void => { constant = false; dynMask &= mask; };
    for (let i = from; i < to; i++) {
      while (covers.length && covers[covers.length - 2]! <= i) {
        covers.length -= 2;
        cover = 0;
        for (let c = 1; c < covers.length; c += 2) cover |= covers[c]!;
      }
      const k = t.kind[i]!;
      if (k === Tok.String || k === Tok.Template || k === Tok.TemplateHead || k === Tok.TemplateMiddle || k === Tok.TemplateTail) {
        if ((k === Tok.TemplateHead || k === Tok.Template) && i > 0 && (t.kind[i - 1] === Tok.Ident || isP(t, i - 1, ')') || isP(t, i - 1, ']')) && !isKeyword(tok(t, i - 1))) {
          // A tagged template (sql`…`) builds its own parameterised value.
          markDynamic(cover | Ctx.Sql);
          i = skip(t, i) - 1;
          continue;
        }
        if (pieces.length < 4000) pieces += `${tok(t, i)} `;
        continue;
      }
      if (k === Tok.Punct) {
        if (t.parent[i] === top) {
          const p = tok(t, i);
          if (p === '?') {
            // `cond ? a : b`: only the branches are the value; an allow-list check in the condition guards them.
            guarded = sawGuard;
            constant = true; taint = undefined; taintMask = ALL_CTX; dynMask = ALL_CTX; boolish = false; pieces = ''; reflect = 0;
            continue;
          }
          // `x!` is TypeScript's non-null assertion, not a negation.
          if (COMPARISONS.has(p) && !(p === '!' && i > from && (t.kind[i - 1] === Tok.Ident || isP(t, i - 1, ')') || isP(t, i - 1, ']')))) boolish = true;
          if (p === '=>') { markDynamic(cover); if (isP(t, i + 1, '{')) i = skip(t, i + 1) - 1; continue; }
        }
        // A computed member key (`counts[req.query.k]`) picks which value is read; it is not the value itself.
        if (isP(t, i, '[') && i > from && t.match[i]! > i && (t.kind[i - 1] === Tok.Ident || isP(t, i - 1, ')') || isP(t, i - 1, ']') || isP(t, i - 1, '?.'))) {
          i = t.match[i]!;
          continue;
        }
        // An arrow function with an expression body: its parameters are not values, its body is what it returns.
        if (isP(t, i, '(') && t.match[i]! > i && isP(t, t.match[i]! + 1, '=>') && !isP(t, t.match[i]! + 2, '{')) i = t.match[i]! + 1;
        continue;
      }
      if (k !== Tok.Ident) continue;
      if (i > 0 && (isP(t, i - 1, '.') || isP(t, i - 1, '?.'))) continue;
      if (isP(t, i + 1, ':') && (isP(t, i - 1, '{') || isP(t, i - 1, ','))) continue;
      const w = tok(t, i);
      if (CONST_WORDS.has(w)) continue;
      if (w === 'as' || w === 'satisfies') { i++; continue; } // TypeScript: the type that follows is not a value
      if (w === 'function' || w === 'class') {
        markDynamic(cover);
        let j = i + 1;
        while (j < to && !isP(t, j, '{')) j = skip(t, j);
        i = skip(t, j) - 1;
        continue;
      }
      if (w === 'process' && isP(t, i + 1, '.') && isP(t, i + 3, '.') && tok(t, i + 2) === 'env') { i += 4; continue; }
      const src = this.sourceAt(i);
      if (src) {
        constant = false;
        if (taint === undefined || (taintMask & cover) === 0) taint = src.origin;
        // The request's own URL path is only dangerous as a file path (`'.' + req.url`), not as a redirect base.
        const clean = cover | (/^(?:req|request)\.(?:url|originalUrl|path)$/.test(src.origin) ? ALL_CTX & ~Ctx.Path : 0);
        taintMask &= clean;
        if (i >= opaqueEnd) reflect |= ALL_CTX & ~clean;
        dynMask &= cover;
        i = src.next - 1;
        continue;
      }
      // A call: its arguments are covered by the sanitizer mask, its result is dynamic (or sanitized).
      let j = i + 1;
      while ((isP(t, j, '.') || isP(t, j, '?.')) && t.kind[j + 1] === Tok.Ident) j += 2;
      if (t.kind[i] === Tok.Ident && isP(t, i + 1, '=>') && !isP(t, i + 2, '{')) { i++; continue; } // `x => expr`
      if (isP(t, j, '(')) {
        // A method of a variable (`params.get(…)`, `name.trim()`) returns data derived from it.
        if (j > i + 1) {
          const base = this.lookup(w);
          if (base?.taint !== undefined && (base.taintMask | cover) !== ALL_CTX) {
            if (taint === undefined) taint = base.taint;
            taintMask &= cover | base.taintMask;
            if (i >= opaqueEnd) reflect |= (base.reflect ?? 0) & ~cover;
          }
        }
        if (i >= opaqueEnd && opaqueCall(t, i, j)) opaqueEnd = skip(t, j);
        const callee = tok(t, j - 1);
        if (GUARDS.has(callee)) sawGuard = true;
        // `items.map((i) => `<li>${escape(i)}</li>`)`: the value is what the callback returns, classified in place.
        if ((callee === 'map' || callee === 'flatMap') && arrowWithExpressionBody(t, j + 1)) continue;
        const mask = SANITIZER_NAMES.test(callee) ? sanitizerMask(resolvePath(calleeAt(t, j)?.path ?? callee, this.imports)) : 0;
        if (callee === 'create' && tok(t, j + 1) === 'null') note = 'null-proto';
        markDynamic(cover | mask);
        if (mask) { covers.push(skip(t, j), mask); cover |= mask; }
        continue;
      }
      const v = this.lookup(w);
      if (v === undefined) { markDynamic(cover); continue; }
      if (v.taint !== undefined && (v.taintMask | cover) !== ALL_CTX) {
        if (taint === undefined) taint = v.taint;
        taintMask &= cover | v.taintMask;
        if (i >= opaqueEnd) reflect |= (v.reflect ?? 0) & ~cover;
      }
      if (!v.constant) markDynamic(cover | v.dynMask);
      if (v.value !== undefined && pieces.length < 4000) pieces += `${v.value} `;
      if (v.sqlText) pieces += 'select x from ';
      if (v.note && from + 1 === to) note = v.note;
    }
    if (boolish) return { ...CONSTANT, constant: false };
    if (guarded) { taint = undefined; taintMask = ALL_CTX; }
    if (note === undefined && isConstruction(t, from, to)) note = CONSTRUCTED;
    const single = from + 1 === to ? stringValue(t, from) : undefined;
    const value = single ?? (from + 1 === to && t.kind[from] === Tok.Ident ? this.lookup(tok(t, from))?.value : undefined);
    return {
      constant,
      taintMask,
      dynMask,
      sqlText: SQL_TEXT.test(pieces),
      htmlText: HTML_TEXT.test(pieces),
      ...(taint !== undefined && taintMask !== ALL_CTX ? { taint, ...(reflect ? { reflect } : {}) } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(note !== undefined ? { note } : {}),
    };
  }
}

// Methods that return their receiver's text transformed, and functions that return their argument's.
const TEXT_METHODS = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'slice', 'substring', 'substr',
  'replace', 'replaceAll', 'padStart', 'padEnd', 'concat', 'join', 'split', 'normalize', 'repeat', 'at', 'charAt', 'stringify', 'map']);
// Plain functions that fetch, read or run something rather than transform their argument.
const OPAQUE_FUNCTIONS = new Set(['fetch', 'eval', 'Function', 'require', 'readFile', 'readFileSync', 'execSync', 'exec', 'spawnSync', 'axios', 'got', 'query']);

/**
 * Whether the call at identifier `i` (its `(` at `open`) returns something other than its arguments' text: an
 * awaited call, a method of some object (a database model, a client, a file system), or a plain function known
 * to do I/O. Plain helper functions (`capitalize(name)`) and text methods pass their input through.
 */
function opaqueCall(t: Tree, i: number, open: number): boolean {
  if (isWord(t, i - 1, 'await')) return true;
  const last = tok(t, open - 1);
  if (open > i + 1) return !TEXT_METHODS.has(last);
  return OPAQUE_FUNCTIONS.has(last);
}

/** The plain parameter names of the function whose body opens at `open` (destructured ones are left out). */
function functionParams(t: Tree, open: number): string[] | undefined {
  let j = open - 1;
  if (isP(t, j, '=>')) {
    j--;
    if (t.kind[j] === Tok.Ident) return [tok(t, j)]; // `x => { … }`
  } else j = paramsClose(t, open);
  if (j < 0) return undefined;
  const po = t.match[j]!;
  if (!isP(t, j, ')') || po < 0) return undefined;
  const names: string[] = [];
  for (let k = po + 1; k < j; k++) {
    if (t.parent[k] === po && t.kind[k] === Tok.Ident && (isP(t, k - 1, '(') || isP(t, k - 1, ','))) names.push(tok(t, k));
  }
  return names;
}

/** Whether `[from, to)` is exactly one `new X(…)` or `new a.B(…)` expression. */
function isConstruction(t: Tree, from: number, to: number): boolean {
  if (!isWord(t, from, 'new')) return false;
  let i = from + 1;
  if (t.kind[i] !== Tok.Ident) return false;
  while (isP(t, i + 1, '.') && t.kind[i + 2] === Tok.Ident) i += 2;
  const open = i + 1;
  return isP(t, open, '(') && t.match[open]! + 1 === to;
}

function arrowWithExpressionBody(t: Tree, i: number): boolean {
  if (isWord(t, i, 'async')) i++;
  if (t.kind[i] === Tok.Ident && isP(t, i + 1, '=>')) return !isP(t, i + 2, '{');
  const close = t.match[i]!;
  return isP(t, i, '(') && close > i && isP(t, close + 1, '=>') && !isP(t, close + 2, '{');
}

const KEYWORDS = new Set(['return', 'typeof', 'case', 'in', 'of', 'await', 'yield', 'throw', 'new', 'else', 'do', 'void', 'delete', 'instanceof']);

function isKeyword(w: string): boolean {
  return KEYWORDS.has(w);
}
