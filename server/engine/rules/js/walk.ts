/**
 * One forward pass over the tokens: blocks open and close scopes, declarations and assignments update what each
 * variable holds, and every call, assignment and object property is handed to the checks with the flow state
 * at that point.
 */
import type { Cancel } from '../../types.js';
import { CancelledError } from '../../types.js';
import { Tok } from './tokenizer.js';
import { ALL_CTX, CONSTANT, type Value } from './flow.js';
import { checkCall, interestingName } from './calls.js';
import { checkAssignment, checkDangerousHtml, checkProperty } from './assignments.js';
import type { Scan } from './context.js';
import { callAt, exprEnd, isP, isWord, paramsClose, stringValue, tok, type Range } from './syntax.js';

const ASSIGN_OPS = new Set(['=', '+=', '||=', '??=']);
const ITERATORS = /(?:^|\.)(?:forEach|map|filter|reduce|some|every|flatMap|find)$/;

/** Analyse a whole file. */
export function walk(s: Scan, cancel: Cancel): void {
  const t = s.t;
  const handled = new Set<number>(); // `=` tokens that belong to declarations
  // NestJS-style request parameters (`@Query('q') q`), bound when the method's body opens.
  const decorated = DECORATOR_HINT.test(t.text) ? new DecoratedParams() : undefined;
  for (let i = 0; i < t.count; i++) {
    if ((i & 2047) === 0 && cancel.isCancellationRequested) throw new CancelledError();
    const k = t.kind[i];
    if (k === Tok.Punct) {
      const len = t.end[i]! - t.start[i]!;
      const c = t.text.charCodeAt(t.start[i]!);
      if (len === 1) {
        if (c === 123) { s.flow.enter(); decorated?.bind(s, i); continue; }
        if (c === 64) { decorated?.note(s, i); continue; }
        if (c === 125) { s.flow.leave(); continue; }
        if (c === 40) {
          if (!worthACall(s, i)) continue;
          const call = callAt(t, i);
          if (call) { checkCall(s, call); bindIteratorParams(s, call); }
          continue;
        }
        if (c === 58) { checkProperty(s, i); continue; }
      }
      if ((c === 61 || c === 43 || c === 124 || c === 63) && ASSIGN_OPS.has(tok(t, i)) && !handled.has(i)) onAssign(s, i);
      continue;
    }
    if (k !== Tok.Ident) continue;
    // Keywords are recognised by length and first letter before comparing text.
    const len = t.end[i]! - t.start[i]!;
    if (len !== 3 && len !== 5 && len !== 23) continue;
    const c = t.text.charCodeAt(t.start[i]!);
    if ((c === 99 || c === 108 || c === 118) && (isWord(t, i, 'const') || isWord(t, i, 'let') || isWord(t, i, 'var'))) declare(s, i, handled);
    else if (c === 102 && isWord(t, i, 'for')) forLoop(s, i);
    else if (c === 100 && isWord(t, i, 'dangerouslySetInnerHTML')) checkDangerousHtml(s, i);
  }
}

// Parameter decorators that hand a method request data (NestJS, routing-controllers): `@Query('q') q`,
// `@Param('id') id`, `@Body() dto`, `@Headers('host') host`, `@Req() request`.
const REQUEST_DECORATORS = new Set(['Query', 'Param', 'Params', 'Body', 'Headers', 'HeaderParam', 'QueryParam', 'QueryParams', 'BodyParam', 'Req', 'Request']);
const DECORATOR_HINT = /@(?:Query|Params?|Body|Headers|HeaderParam|QueryParams?|BodyParam|Req|Request)\s*\(/;

/** Decorated parameters seen in a parameter list, waiting for the method body that binds them. */
class DecoratedParams {
  private pending: { name: string; origin: string }[] = [];
  private listEnd = -1;

  /** At `@`: a request decorator on a parameter names the parameter that follows it. */
  note(s: Scan, at: number): void {
    const t = s.t;
    const name = at + 1;
    const open = at + 2;
    if (t.kind[name] !== Tok.Ident || !REQUEST_DECORATORS.has(tok(t, name)) || !isP(t, open, '(')) return;
    const close = t.match[open]!;
    const list = t.parent[at]!;
    if (close < 0 || list < 0 || !isP(t, list, '(')) return; // not inside a parameter list
    let p = close + 1;
    while (t.kind[p] === Tok.Ident && (isWord(t, p, 'readonly') || isWord(t, p, 'private') || isWord(t, p, 'public'))) p++;
    if (t.kind[p] !== Tok.Ident) return;
    const key = stringValue(t, open + 1);
    if (this.listEnd !== t.match[list]) this.pending = [];
    this.listEnd = t.match[list]!;
    this.pending.push({ name: tok(t, p), origin: `@${tok(t, name)}(${key !== undefined ? `'${key}'` : ''}) ${tok(t, p)}` });
  }

  /** At `{`: the first block after the parameter list that is not a type literal is the method body. */
  bind(s: Scan, brace: number): void {
    if (this.pending.length === 0 || brace < this.listEnd) return;
    const t = s.t;
    const before = brace - 1;
    if (isP(t, before, ':') || isP(t, before, '|') || isP(t, before, '&') || isP(t, before, '<') || isP(t, before, ',') || isP(t, before, '=')) return;
    // Only the body of that parameter list: an abstract method's names must not reach the next method's body.
    if (paramsClose(t, brace) === this.listEnd) for (const { name, origin } of this.pending) s.flow.declare(name, { ...REQUEST_VALUE, taint: origin });
    this.pending = [];
  }
}

/** What a request parameter holds: attacker-controlled in every context. */
const REQUEST_VALUE: Value = { constant: false, taintMask: 0, dynMask: 0, sqlText: false, htmlText: false, reflect: ALL_CTX };

// Cheap gate before building a call: the name before `(` must be one some check or binding looks at.
function worthACall(s: Scan, open: number): boolean {
  const t = s.t;
  const j = open - 1;
  if (t.kind[j] !== Tok.Ident) return false;
  const w = tok(t, j);
  if (interestingName(w) || ITERATOR_NAMES.has(w)) return true;
  return !isP(t, j - 1, '.') && !isP(t, j - 1, '?.') && s.imports.has(w);
}

const ITERATOR_NAMES = new Set(['forEach', 'map', 'filter', 'reduce', 'some', 'every', 'flatMap', 'find']);

// Assignment targets some check looks at (the last name of the target).
const CHECKED_TARGETS = new Set(['innerHTML', 'outerHTML', 'href', 'location', 'NODE_TLS_REJECT_UNAUTHORIZED', 'rejectUnauthorized', 'strictSSL', 'body']);

function onAssign(s: Scan, eq: number): void {
  const t = s.t;
  const target = eq - 1;
  // The right-hand side's extent is only computed when something needs it (`a = b = c = …` chains stay linear).
  let rhs: Range | undefined;
  const rhsRange = (): Range => (rhs ??= { from: eq + 1, to: exprEnd(t, eq + 1) });
  if (isP(t, target, ']') || (t.kind[target] === Tok.Ident && CHECKED_TARGETS.has(tok(t, target)))) checkAssignment(s, eq, rhsRange());
  if (t.kind[target] !== Tok.Ident || isP(t, target - 1, '.') || isP(t, target - 1, '?.')) return;
  const name = tok(t, target);
  if (isP(t, eq, '=')) { s.flow.assignLazy(name, eq + 1, -1); return; }
  const r = rhsRange();
  const v = s.flow.classify(r.from, r.to);
  const old = s.flow.lookup(name);
  s.flow.assign(name, old ? merge(old, v) : v);
}

/** Combine two values (`a += b`, `a || b`). */
function merge(a: Value, b: Value): Value {
  const taint = a.taint ?? b.taint;
  const note = a.note ?? b.note;
  const reflect = (a.reflect ?? 0) | (b.reflect ?? 0);
  return {
    constant: a.constant && b.constant,
    taintMask: a.taintMask & b.taintMask,
    dynMask: a.dynMask & b.dynMask,
    sqlText: a.sqlText || b.sqlText,
    htmlText: a.htmlText || b.htmlText,
    ...(taint !== undefined ? { taint, ...(reflect ? { reflect } : {}) } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

interface Binding {
  readonly name: string;
  /** The property it was destructured from, if any. */
  readonly prop?: string;
}

// The names a binding pattern at token `i` introduces, and the token after the pattern.
function pattern(s: Scan, i: number): { names: Binding[]; next: number } {
  const t = s.t;
  if (t.kind[i] === Tok.Ident) return { names: [{ name: tok(t, i) }], next: i + 1 };
  const close = t.match[i]!;
  if (!(isP(t, i, '{') || isP(t, i, '[')) || close < 0) return { names: [], next: i + 1 };
  const names: Binding[] = [];
  const object = isP(t, i, '{');
  for (let j = i + 1; j < close; j++) {
    if (t.kind[j] !== Tok.Ident) continue;
    const prev = j - 1;
    if (isP(t, prev, '.') || (isP(t, prev, '=') && !isP(t, prev, '=>'))) continue; // defaults are values, not names
    if (object && isP(t, j + 1, ':')) {
      const target = j + 2;
      if (t.kind[target] === Tok.Ident) { names.push({ name: tok(t, target), prop: tok(t, j) }); j = target; }
      continue;
    }
    names.push(object && !isP(t, prev, '...') ? { name: tok(t, j), prop: tok(t, j) } : { name: tok(t, j) });
  }
  return { names, next: close + 1 };
}

function bindAll(s: Scan, names: Binding[], v: Value): void {
  for (const b of names) s.flow.declare(b.name, destructured(v, b, names.length));
}

// What one name of a binding pattern holds: `const { id } = req.query` makes `id` come from `req.query.id`.
function destructured(v: Value, b: Binding, count: number): Value {
  if (b.prop !== undefined && v.taint !== undefined) return { ...withoutValue(v), taint: `${v.taint}.${b.prop}` };
  return count === 1 && b.prop === undefined ? v : withoutValue(v);
}

function withoutValue(v: Value): Value {
  const { value: _value, ...rest } = v;
  return rest;
}

const UNKNOWN: Value = { ...CONSTANT, constant: false, dynMask: 0 };

function declare(s: Scan, at: number, handled: Set<number>): void {
  const t = s.t;
  let i = at + 1;
  for (let guard = 0; guard < 64 && i < t.count; guard++) {
    const { names, next } = pattern(s, i);
    if (names.length === 0) return;
    let j = next;
    if (isWord(t, j, 'in') || isWord(t, j, 'of')) return; // for (const x of …): bound by forLoop
    if (isP(t, j, ':')) while (j < t.count && j < next + 64 && !isP(t, j, '=') && !isP(t, j, ';') && !isP(t, j, ',')) j = t.match[j]! > j ? t.match[j]! + 1 : j + 1;
    if (!isP(t, j, '=')) {
      bindAll(s, names, UNKNOWN);
      if (!isP(t, j, ',')) return;
      i = j + 1;
      continue;
    }
    handled.add(j);
    const init: Range = { from: j + 1, to: exprEnd(t, j + 1) };
    for (const b of names) s.flow.declareLazy(b.name, init.from, init.to, (v) => destructured(v, b, names.length));
    if (!isP(t, init.to, ',')) return;
    i = init.to + 1;
  }
}

// for (const k in req.body) / for (const [k, v] of Object.entries(req.body))
function forLoop(s: Scan, at: number): void {
  const t = s.t;
  let open = at + 1;
  if (isWord(t, open, 'await')) open++;
  if (!isP(t, open, '(') || t.match[open]! < 0) return;
  let i = open + 1;
  if (isWord(t, i, 'const') || isWord(t, i, 'let') || isWord(t, i, 'var')) i++;
  const { names, next } = pattern(s, i);
  const keys = isWord(t, next, 'in');
  if (names.length === 0 || !(keys || isWord(t, next, 'of'))) return;
  const v = s.flow.classify(next + 1, t.match[open]!);
  const origin = v.taint !== undefined ? `${keys ? 'a key of' : 'an element of'} ${v.taint}` : undefined;
  const bound: Value = origin !== undefined ? { ...withoutValue(v), taint: origin } : UNKNOWN;
  for (const b of names) s.flow.declare(b.name, bound);
}

// Object.keys(req.body).forEach((key) => …): the callback's first parameter carries the taint.
function bindIteratorParams(s: Scan, call: { path: string; first: number; open: number; args: readonly Range[] }): void {
  if (call.args.length === 0 || !ITERATORS.test(call.path)) return;
  const t = s.t;
  const receiverEnd = call.open - 2; // the `.` before the method name
  if (receiverEnd <= call.first) return;
  const v = s.flow.classify(call.first, receiverEnd);
  if (v.taint === undefined || v.taintMask === ALL_CTX) return;
  const cb = call.args[0]!;
  let p = cb.from;
  if (isWord(t, p, 'async')) p++;
  if (isWord(t, p, 'function')) { p++; if (t.kind[p] === Tok.Ident) p++; }
  if (isP(t, p, '(')) p++;
  const { names } = pattern(s, p);
  const origin = /keys\(\)/.test(call.path) ? `a key of ${v.taint}` : `an element of ${v.taint}`;
  for (const b of names) s.flow.declare(b.name, { ...withoutValue(v), taint: origin });
}
