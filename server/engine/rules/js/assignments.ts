/** Checks on assignments and object properties: DOM sinks, redirects, prototype pollution, TLS overrides, ECB, JSX HTML. */
import type { Fix } from '../../types.js';
import { Tok } from './tokenizer.js';
import { Ctx, dynamicFor, reflectedFor, taintedFor } from './flow.js';
import { JsRule } from './meta.js';
import { emit, enclosingBodyText, fixedPrefix, type Scan } from './context.js';
import { exprEnd, isP, isWord, objectEntries, stringValue, tok, type Range } from './syntax.js';

const LOCATION_TARGET = /^(?:window\.|document\.|self\.|top\.)?location(?:\.href)?$/;

/** The member chain ending at token `last` (e.g. `window.location.href`) and its first token. */
export function memberChain(s: Scan, last: number): { text: string; first: number } {
  const t = s.t;
  let first = last;
  let text = tok(t, last);
  while (first >= 2 && (isP(t, first - 1, '.') || isP(t, first - 1, '?.')) && (t.kind[first - 2] === Tok.Ident)) {
    first -= 2;
    text = `${tok(t, first)}.${text}`;
  }
  return { text, first };
}

/** Check an assignment `target = value` whose `=` (or `+=`) is token `eq`. */
export function checkAssignment(s: Scan, eq: number, rhs: Range): void {
  const t = s.t;
  const target = eq - 1;
  if (target < 0) return;
  if (t.kind[target] === Tok.Ident) {
    const { text, first } = memberChain(s, target);
    const start = t.start[first]!;
    const end = rhs.to > rhs.from ? t.end[rhs.to - 1]! : t.end[eq]!;
    const prop = tok(t, target);
    if (prop === 'innerHTML' || prop === 'outerHTML') {
      const v = s.flow.classify(rhs.from, rhs.to);
      if (dynamicFor(v, Ctx.Html)) {
        emit(s, JsRule.DomXss, start, end, taintedFor(v, Ctx.Html) ? `${v.taint} reaches ${prop}` : `Non-constant HTML is assigned to ${prop}`);
      }
      return;
    }
    if (LOCATION_TARGET.test(text) && isP(t, eq, '=')) {
      const v = s.flow.classify(rhs.from, rhs.to);
      if (taintedFor(v, Ctx.Url) && !fixedPrefix(s, rhs)) emit(s, JsRule.OpenRedirect, start, end, `${v.taint} chooses where ${text} navigates`);
      return;
    }
    // Koa answers a string body that starts with '<' as text/html.
    if ((text === 'ctx.body' || text === 'context.body') && isP(t, eq, '=')) {
      const v = s.flow.classify(rhs.from, rhs.to);
      if (reflectedFor(v, Ctx.Html) && startsWithMarkup(s, rhs)) {
        emit(s, JsRule.ResponseXss, start, end, `${v.taint} is sent back unescaped in an HTML response by ${text}`);
      }
      return;
    }
    if (text === 'process.env.NODE_TLS_REJECT_UNAUTHORIZED') { checkTlsEnv(s, first, rhs); return; }
    if ((prop === 'rejectUnauthorized' || prop === 'strictSSL') && first !== target && isFalseValue(s, rhs)) {
      emit(s, JsRule.TlsDisabled, start, end, `${text} = false disables certificate checks`, trueFix(s, rhs));
    }
    return;
  }
  if (isP(t, target, ']')) checkBracketAssignment(s, target, rhs);
}

/** Whether an expression's text begins with a literal '<' (a string or template starting with markup). */
function startsWithMarkup(s: Scan, r: Range): boolean {
  const t = s.t;
  const k = t.kind[r.from];
  if (k !== Tok.String && k !== Tok.Template && k !== Tok.TemplateHead) return false;
  return t.text.charCodeAt(t.start[r.from]! + 1) === 60; // the character after the opening quote or backtick
}

function isFalseValue(s: Scan, r: Range): boolean {
  if (r.to !== r.from + 1) return isP(s.t, r.from, '!') && tok(s.t, r.from + 1) === '1' && r.to === r.from + 2;
  return isWord(s.t, r.from, 'false') || tok(s.t, r.from) === '0';
}

function trueFix(s: Scan, r: Range): Fix {
  return { title: 'Turn certificate verification back on', edits: [{ start: s.t.start[r.from]!, end: s.t.end[r.to - 1]!, newText: 'true' }] };
}

function checkTlsEnv(s: Scan, first: number, rhs: Range): void {
  const t = s.t;
  const v = s.flow.classify(rhs.from, rhs.to);
  const zero = v.value === '0' || (rhs.to === rhs.from + 1 && (tok(t, rhs.from) === '0' || isWord(t, rhs.from, 'false')));
  if (!zero) return;
  const start = t.start[first]!;
  let end = t.end[rhs.to - 1]!;
  if (isP(t, rhs.to, ';')) end = t.end[rhs.to]!;
  // Delete the whole statement, and its line when nothing else is on it.
  const lineStart = t.text.lastIndexOf('\n', start - 1) + 1;
  const nl = t.text.indexOf('\n', end);
  const lineEnd = nl < 0 ? t.text.length : nl;
  const alone = /^[ \t]*$/.test(t.text.slice(lineStart, start)) && /^[ \t]*$/.test(t.text.slice(end, lineEnd));
  const edit = alone ? { start: lineStart, end: nl < 0 ? lineEnd : nl + 1, newText: '' } : { start, end, newText: '' };
  emit(s, JsRule.TlsDisabled, start, t.end[rhs.to - 1]!, 'NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks for the whole process',
    { title: 'Delete the statement', edits: [edit] });
}

// `obj[key] = v` / `obj[a][b] = v` with a request-derived key, in a function without a __proto__ guard.
function checkBracketAssignment(s: Scan, close: number, rhs: Range): void {
  const t = s.t;
  const keys: Range[] = [];
  let c = close;
  while (isP(t, c, ']') && t.match[c]! >= 0) {
    const open = t.match[c]!;
    keys.unshift({ from: open + 1, to: c });
    c = open - 1;
  }
  if (keys.length === 0 || c < 0) return;
  const first = keys[0]!.from - 1;
  // process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0'
  if (keys.length === 1 && stringValue(t, keys[0]!.from) === 'NODE_TLS_REJECT_UNAUTHORIZED' && isWord(t, c, 'env')) {
    checkTlsEnv(s, c - 2, rhs);
    return;
  }
  if (t.kind[c] !== Tok.Ident && !isP(t, c, ')')) return;
  const base = t.kind[c] === Tok.Ident ? s.flow.lookup(tok(t, c)) : undefined;
  if (base?.note === 'null-proto') return;
  // `obj[key] = value` only pollutes when the value is request data too (`obj.__proto__ = {isAdmin: true}`);
  // `obj[a][b] = v` pollutes Object.prototype whatever v is.
  const valueTainted = taintedFor(s.flow.classify(rhs.from, rhs.to), Ctx.Key);
  for (let n = 0; n < keys.length; n++) {
    const key = keys[n]!;
    if (n === keys.length - 1 && !valueTainted) continue;
    const v = s.flow.classify(key.from, key.to);
    if (!taintedFor(v, Ctx.Key)) continue;
    if (/['"`](?:__proto__|constructor|prototype)['"`]|hasOwn|isSafeKey|isPlainKey/.test(guardText(s, first))) return;
    const start = t.start[c]!;
    emit(s, JsRule.PrototypePollution, start, rhs.to > rhs.from ? t.end[rhs.to - 1]! : t.end[close]!, `${v.taint} chooses the property assigned here (can be "__proto__")`);
    return;
  }
}

const PROPERTY_KEYS = new Set(['rejectUnauthorized', 'strictSSL', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity', 'mode', 'Location', 'location']);

// The text that could hold a key guard for a statement: its block and that block's header (`for (…)`, `if (…)`).
function guardText(s: Scan, i: number): string {
  const t = s.t;
  let block = t.parent[i]!;
  while (block >= 0 && !isP(t, block, '{')) block = t.parent[block]!;
  if (block < 0) return enclosingBodyText(t, i);
  let head = block - 1;
  const level = t.parent[block]!;
  // Back to the start of the statement that owns the block, never past the bracket that holds it.
  while (head > level + 1 && !(t.parent[head] === level && (isP(t, head, ';') || isP(t, head, '{') || isP(t, head, '}')))) head--;
  const close = t.match[block]!;
  return t.text.slice(t.start[Math.max(head, 0)]!, close >= 0 ? t.end[close]! : t.text.length);
}

/** Check an object property `key: value` whose `:` is token `colon`. */
export function checkProperty(s: Scan, colon: number): void {
  const t = s.t;
  const k = colon - 1;
  const key = t.kind[k] === Tok.Ident ? tok(t, k) : stringValue(t, k);
  if (key === undefined || !PROPERTY_KEYS.has(key)) return;
  if (!(isP(t, k - 1, '{') || isP(t, k - 1, ','))) return;
  const value = { from: colon + 1, to: exprEnd(t, colon + 1) };
  if (value.to <= value.from) return;
  const start = t.start[k]!;
  const end = t.end[value.to - 1]!;
  switch (key) {
    case 'rejectUnauthorized':
    case 'strictSSL':
      if (isFalseValue(s, value)) emit(s, JsRule.TlsDisabled, start, end, `${key}: false disables certificate checks`, trueFix(s, value));
      return;
    case 'NODE_TLS_REJECT_UNAUTHORIZED': {
      const v = s.flow.classify(value.from, value.to);
      if (v.value === '0') emit(s, JsRule.TlsDisabled, start, end, 'NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks');
      return;
    }
    case 'checkServerIdentity': {
      const text = t.text.slice(t.start[value.from]!, end).replace(/\s+/g, '');
      if (/^(?:\(\)|\([^)]*\)|\w+)=>(?:undefined|null|\{\}|\{return;?\}|\{returnundefined;?\})$|^function\w*\([^)]*\)\{(?:return(?:undefined|null)?;?)?\}$/.test(text)) {
        emit(s, JsRule.TlsDisabled, start, end, 'checkServerIdentity accepts every certificate');
      }
      return;
    }
    case 'mode': {
      const text = t.text.slice(t.start[value.from]!, end);
      if (/\bmode\.ECB$/.test(text)) emit(s, JsRule.BrokenCipher, start, end, 'ECB mode encrypts equal blocks to equal ciphertext');
      return;
    }
    case 'Location':
    case 'location': {
      // `headers: { Location: … }` in a response object (Lambda, fetch Response, writeHead handled as a call).
      const open = t.parent[colon]!;
      if (open < 0 || !isP(t, open - 1, ':') || !/^headers$/i.test(tok(t, open - 2))) return;
      const v = s.flow.classify(value.from, value.to);
      if (taintedFor(v, Ctx.Url) && !fixedPrefix(s, value)) emit(s, JsRule.OpenRedirect, start, end, `${v.taint} chooses the Location header`);
      return;
    }
    default:
  }
}

/** Check `dangerouslySetInnerHTML={{ __html: value }}` at the attribute name token `i`. */
export function checkDangerousHtml(s: Scan, i: number): void {
  const t = s.t;
  if (!(isP(t, i + 1, '=') || isP(t, i + 1, ':')) || !isP(t, i + 2, '{')) return;
  const inner = isP(t, i + 3, '{') ? i + 3 : isP(t, i + 1, ':') ? i + 2 : -1;
  if (inner < 0) return;
  const e = objectEntries(t, inner).get('__html');
  if (!e || e.to <= e.from) return;
  const v = s.flow.classify(e.from, e.to);
  if (!dynamicFor(v, Ctx.Html)) return;
  const close = t.match[i + 2]!;
  emit(s, JsRule.DomXss, t.start[i]!, close >= 0 ? t.end[close]! : t.end[e.to - 1]!,
    taintedFor(v, Ctx.Html) ? `${v.taint} reaches dangerouslySetInnerHTML` : 'Non-constant HTML is passed to dangerouslySetInnerHTML');
}
