/** Weak hashes (for passwords and in general), broken ciphers and Math.random for security values. */
import type { Fix } from '../../types.js';
import { Tok } from './tokenizer.js';
import { JsRule } from './meta.js';
import { emit, enclosingFunctionName, isPasswordName, mentionsPassword, words, type Scan } from './context.js';
import { arrowName, callAt, callEnd, enclosingFunction, isP, isWord, skip, tok, type Call } from './syntax.js';

const WEAK_HASHES = new Set(['md5', 'sha1', 'sha-1', 'md4', 'md2', 'rsa-md5', 'rsa-sha1']);
const BROKEN_CIPHER = /^(?:des|des-ede|des-ede3|des3|tripledes|rc2|rc4|rc4-\d+|bf|blowfish|cast|cast5|idea|seed)(?:-|$)|-ecb$|^id-aes\d+-ecb|^ecb$/i;
const SECURITY_WORDS = new Set(['token', 'tokens', 'secret', 'password', 'passwd', 'pwd', 'salt', 'nonce', 'key', 'apikey', 'otp', 'session',
  'sid', 'csrf', 'xsrf', 'uuid', 'guid', 'id', 'ids', 'auth', 'iv', 'verification', 'reset', 'invite', 'ticket', 'credential', 'credentials', 'pin', 'passcode', 'code']);

const QUANTITY_WORDS = new Set(['timeout', 'delay', 'ms', 'interval', 'duration', 'ttl', 'jitter', 'backoff', 'retry', 'retries', 'count',
  'size', 'width', 'height', 'color', 'colour', 'offset', 'angle', 'percent', 'ratio', 'chance', 'probability', 'weight', 'score',
  'position', 'index', 'idx', 'opacity', 'speed', 'seconds', 'minutes', 'wait', 'sleep', 'sample', 'rate', 'length', 'max', 'min',
  // UI and scratch identifiers: an element id is not a secret.
  'chart', 'element', 'el', 'dom', 'input', 'label', 'tooltip', 'component', 'field', 'html', 'css', 'class', 'widget', 'node',
  'canvas', 'svg', 'div', 'modal', 'dialog', 'form', 'button', 'menu', 'tab', 'panel', 'aria', 'anchor', 'frame', 'animation',
  'keyframe', 'keyframes', 'gradient', 'mock', 'fake', 'dummy', 'test', 'demo', 'placeholder']);

/** Run the crypto checks on a call. */
export function checkCryptoCall(s: Scan, call: Call, resolved: string, last: string): void {
  const t = s.t;
  const start = t.start[call.first]!;
  const end = callEnd(t, call);
  if (last === 'createHash' || last === 'createHmac') {
    if (last === 'createHmac') return; // HMAC-MD5/SHA1 is not broken for authentication
    const alg = algorithm(s, call);
    if (alg === undefined || !WEAK_HASHES.has(alg.toLowerCase())) return;
    const password = hashesPassword(s, call);
    if (password) emit(s, JsRule.WeakPasswordHash, start, end, `Password hashed with ${alg.toUpperCase()}`);
    else emit(s, JsRule.WeakHash, start, end, `${alg.toUpperCase()} is a broken hash`);
    return;
  }
  const library = /^(?:md5|blueimp-md5|crypto-js\/md5|sha1|crypto-js\/sha1|CryptoJS\.MD5|CryptoJS\.SHA1|crypto-js\.MD5|crypto-js\.SHA1)$/.exec(resolved);
  if (library && call.args.length > 0) {
    const name = /md5/i.test(resolved) ? 'MD5' : 'SHA1';
    const r = call.args[0]!;
    if (mentionsPassword(t, r) || isPasswordName(enclosingFunctionName(t, call.first))) emit(s, JsRule.WeakPasswordHash, start, end, `Password hashed with ${name}`);
    else emit(s, JsRule.WeakHash, start, end, `${name} is a broken hash`);
    return;
  }
  if (last === 'createCipher' || last === 'createDecipher') {
    emit(s, JsRule.BrokenCipher, start, end, `${call.path} derives its key without salt or IV (deprecated); use createCipheriv with AES-GCM`);
    return;
  }
  if (last === 'createCipheriv' || last === 'createDecipheriv') {
    const alg = algorithm(s, call);
    if (alg !== undefined && BROKEN_CIPHER.test(alg)) emit(s, JsRule.BrokenCipher, start, end, `${alg} is a broken cipher or mode`);
    return;
  }
  const cj = /^(?:CryptoJS|crypto-js)\.(DES|TripleDES|RC4|RC4Drop|Rabbit)\.(?:encrypt|decrypt)$/.exec(resolved);
  if (cj) { emit(s, JsRule.BrokenCipher, start, end, `CryptoJS.${cj[1]} is a broken cipher`); return; }
  if (call.path === 'Math.random' && call.args.length === 0) checkRandom(s, call);
}

function algorithm(s: Scan, call: Call): string | undefined {
  const r = call.args[0];
  return r ? s.flow.classify(r.from, r.to).value : undefined;
}

// The hash is of a password if `.update(password)` follows, the function hashes passwords, or the result is named so.
function hashesPassword(s: Scan, call: Call): boolean {
  const t = s.t;
  let i = call.close + 1;
  while (isP(t, i, '.') && t.kind[i + 1] === Tok.Ident && isP(t, i + 2, '(')) {
    const next = callAt(t, i + 2);
    if (!next) break;
    if (tok(t, i + 1) === 'update' && next.args.some((r) => mentionsPassword(t, r))) return true;
    i = next.close + 1;
  }
  if (isPasswordName(enclosingFunctionName(t, call.first))) return true;
  const target = assignedName(s, call.first);
  if (target && isPasswordName(target)) return true;
  // `const h = createHash('md5'); … h.update(password)`
  if (target) {
    const limit = Math.min(t.count, call.close + 400);
    for (let j = call.close; j < limit; j++) {
      if (isWord(t, j, target) && isP(t, j + 1, '.') && isWord(t, j + 2, 'update') && isP(t, j + 3, '(')) {
        const u = callAt(t, j + 3);
        if (u && u.args.some((r) => mentionsPassword(t, r))) return true;
      }
    }
  }
  return false;
}

// The name a value at token `i` is stored under: `const x = …`, `x = …`, `obj.x = …`, `{ x: … }`.
function assignedName(s: Scan, i: number): string | undefined {
  const t = s.t;
  const level = t.parent[i]!;
  for (let j = i - 1; j > level && j >= 0; j--) {
    if (t.parent[j] !== level) continue;
    if (isP(t, j, '=') || isP(t, j, ':') || isP(t, j, '||=') || isP(t, j, '??=')) {
      const k = j - 1;
      if (t.kind[k] === Tok.Ident || t.kind[k] === Tok.Private) return tok(t, k);
      if (t.kind[k] === Tok.String) return tok(t, k).slice(1, -1);
      return undefined;
    }
    if (isP(t, j, '=>')) return arrowName(t, j - 1) || undefined; // `const makeId = () => Math.random()…`
    if (isP(t, j, ';') || isP(t, j, ',') || isWord(t, j, 'return')) return undefined;
  }
  return undefined;
}

// Names that describe where a Math.random() value goes, innermost first, up to three brackets out.
function contextNames(s: Scan, call: Call): string[] {
  const t = s.t;
  const names: string[] = [];
  let at = call.first;
  for (let level = 0; level < 4 && at >= 0; level++) {
    const name = assignedName(s, at);
    if (name !== undefined) {
      // React's key={Math.random()} is a render hint, not a secret.
      const jsxKey = name === 'key' && isP(t, at, '{') && isP(t, at - 1, '=');
      if (!jsxKey) names.push(name);
      break;
    }
    const p = t.parent[at]!;
    if (p < 0) break;
    if (isP(t, p, '(')) {
      const outer = callAt(t, p);
      if (outer) names.push(outer.path.slice(outer.path.lastIndexOf('.') + 1));
    }
    at = p;
  }
  names.push(enclosingFunctionName(t, call.first));
  return names;
}

// `items[Math.floor(Math.random() * items.length)]` picks an element; it does not make a value to keep secret.
function picksAnElement(s: Scan, call: Call): boolean {
  const t = s.t;
  let at = call.first;
  for (let level = 0; level < 4; level++) {
    const p = t.parent[at]!;
    if (p < 0) return false;
    if (isP(t, p, '[')) return t.kind[p - 1] === Tok.Ident || isP(t, p - 1, ')') || isP(t, p - 1, ']');
    at = p;
  }
  return false;
}

function checkRandom(s: Scan, call: Call): void {
  const t = s.t;
  if (picksAnElement(s, call)) return;
  const names = contextNames(s, call).filter(Boolean);
  // A name that says it is a quantity (sessionTimeout, tokenDelayMs, keyframeOffset) is not a secret.
  const hit = names.find((n) => { const ws = words(n); return ws.some((w) => SECURITY_WORDS.has(w)) && !ws.some((w) => QUANTITY_WORDS.has(w)); });
  if (!hit) return;
  // One finding per function and name: generateUUID's four Math.random() calls are one problem with one fix.
  const key = `${enclosingFunction(t, call.first)}\0${hit}`;
  let seen = reportedRandom.get(s);
  if (!seen) reportedRandom.set(s, (seen = new Set()));
  if (seen.has(key)) return;
  seen.add(key);
  const start = t.start[call.first]!;
  emit(s, JsRule.InsecureRandom, start, callEnd(t, call), `Math.random() is predictable but makes ${hit}`, randomFix(s, call));
}

/** Per file (keyed by its scan: token arrays are reused between files), the function and name pairs already reported. */
const reportedRandom = new WeakMap<Scan, Set<string>>();

// `Math.random().toString(36)[.slice(…)|.substring(…)|.substr(…)]` is a random string: a UUID replaces it exactly.
function randomFix(s: Scan, call: Call): Fix | undefined {
  const t = s.t;
  let i = call.close + 1;
  if (!(isP(t, i, '.') && isWord(t, i + 1, 'toString') && isP(t, i + 2, '(') && tok(t, i + 3) === '36' && isP(t, i + 4, ')'))) return undefined;
  let last = i + 4;
  i = last + 1;
  while (isP(t, i, '.') && /^(?:slice|substring|substr)$/.test(tok(t, i + 1)) && isP(t, i + 2, '(')) {
    last = skip(t, i + 2) - 1;
    i = last + 1;
  }
  const uuid = s.cryptoName ? `${s.cryptoName}.randomUUID()` : 'globalThis.crypto.randomUUID()';
  return { title: `Use ${uuid}`, edits: [{ start: t.start[call.first]!, end: t.end[last]!, newText: uuid }] };
}
