/** Configuration checks on calls: cookies, session middleware, CORS, and JWT verification. */
import type { Fix, TextEdit } from '../../types.js';
import { Tok } from './tokenizer.js';
import { JsRule } from './meta.js';
import { emit, enclosingBodyText, enclosingFunctionName, type Scan } from './context.js';
import { callEnd, exprEnd, isP, isWord, objectEntries, stringValue, tok, type Call, type Range, type Tree } from './syntax.js';

const AUTH_COOKIE = /sess|sid\b|auth|token|jwt|login|remember|refresh|access|connect\.sid|identity|user_?id/i;

/** Run the configuration checks on a call. */
export function checkConfigCall(s: Scan, call: Call, resolved: string, path: string, last: string): void {
  if ((last === 'cookie' || last === 'setCookie') && /^(?:res|response|reply|ctx\.res)\.\w+$/.test(path)) checkCookie(s, call, 2);
  else if (last === 'set' && /(?:^|\.)cookies(?:\(\))?\.set$/.test(path)) checkCookie(s, call, 2);
  else if (resolved === 'express-session' || path === 'session' || path === 'expressSession') checkSession(s, call, 'cookie');
  else if (resolved === 'cookie-session' || path === 'cookieSession') checkSession(s, call, '');
  else if (resolved === 'cors' || path === 'cors') checkCors(s, call);
  else if (/^(?:setHeader|header|set|append)$/.test(last) && call.args.length === 2) checkCorsHeader(s, call);
  if (/^(?:jsonwebtoken|jwt)\.(?:verify|sign|decode)$/.test(resolved) || /^(?:jwt|jsonwebtoken|JWT)\.(?:verify|sign|decode)$/.test(path)) checkJwt(s, call, last);
  checkSigningSecrets(s, call, resolved, path, last);
}

// Where a signing secret goes, and the environment variable a fix reads it from.
function signingSecretArg(s: Scan, call: Call, resolved: string, path: string, last: string): { arg: Range; env: string; what: string }[] {
  const t = s.t;
  const jwt = /^(?:jsonwebtoken|jwt)\.(?:verify|sign)$/.test(resolved) || /^(?:jwt|jsonwebtoken|JWT)\.(?:verify|sign)$/.test(path);
  if (jwt && call.args.length >= 2) return [{ arg: call.args[1]!, env: 'JWT_SECRET', what: `${path} ${last === 'sign' ? 'signs' : 'verifies'} with` }];
  if (resolved === 'cookie-parser' || path === 'cookieParser') return call.args[0] ? [{ arg: call.args[0], env: 'COOKIE_SECRET', what: `${path} signs cookies with` }] : [];
  const session = resolved === 'express-session' || path === 'session' || path === 'expressSession' || resolved === 'cookie-session' || path === 'cookieSession';
  const options = call.args[0];
  if (!session || !options || !isP(t, options.from, '{')) return [];
  const found: { arg: Range; env: string; what: string }[] = [];
  for (const [key, e] of objectEntries(t, options.from)) {
    if (key !== 'secret' && key !== 'keys') continue;
    // `keys: ['a', 'b']` and `secret: ['a', 'b']` rotate several secrets: each element counts.
    const items = isP(t, e.from, '[') ? arrayElements(t, e.from) : [e];
    for (const item of items) found.push({ arg: item, env: 'SESSION_SECRET', what: `${path} signs sessions with` });
  }
  return found;
}

function arrayElements(t: Tree, open: number): Range[] {
  const close = t.match[open]!;
  const out: Range[] = [];
  let from = open + 1;
  for (let i = open + 1; i <= close && close > open; i++) {
    if (i === close || (isP(t, i, ',') && t.parent[i] === open)) {
      if (i > from) out.push({ from, to: i });
      from = i + 1;
    }
  }
  return out;
}

/** A hard-coded secret given to a signer: a string literal, a constant holding one, or an env fallback to one. */
function checkSigningSecrets(s: Scan, call: Call, resolved: string, path: string, last: string): void {
  if (s.testFile) return;
  const t = s.t;
  for (const { arg, env, what } of signingSecretArg(s, call, resolved, path, last)) {
    let literal = arg.to === arg.from + 1 ? stringValue(t, arg.from) : undefined;
    let fallback: number | undefined; // the `||` or `??` before a literal fallback
    if (literal === undefined && arg.to - arg.from >= 3 && stringValue(t, arg.to - 1) !== undefined && (isP(t, arg.to - 2, '||') || isP(t, arg.to - 2, '??'))) {
      literal = stringValue(t, arg.to - 1);
      fallback = arg.to - 2;
    }
    if (literal === undefined && arg.to === arg.from + 1 && t.kind[arg.from] === Tok.Ident) {
      const name = tok(t, arg.from);
      // A constant declared with a string: `const JWT_SECRET = 'dev-secret'` (no fix: the declaration is elsewhere).
      const v = s.flow.lookup(name);
      if (v?.constant && v.value !== undefined && v.value.length > 0) {
        report(s, call, v.value, `${what} ${name}, a string written into the code`);
        continue;
      }
      // `const JWT_SECRET = process.env.JWT_SECRET || 'dev-secret'`: the fix removes the fallback where it is declared.
      const init = declaredFallback(t, name);
      if (init) {
        report(s, call, init.literal, `${what} ${name}, which falls back to a hard-coded secret when the environment does not set one`,
          { title: 'Remove the hard-coded fallback', edits: [{ start: t.end[init.operator - 1]!, end: t.end[init.literalAt]!, newText: '' }] });
      }
      continue;
    }
    if (literal === undefined || literal.length === 0) continue;
    if (fallback !== undefined) {
      report(s, call, literal, `${what} a hard-coded fallback when the environment does not set the secret`,
        { title: 'Remove the hard-coded fallback', edits: [{ start: t.end[fallback - 1]!, end: t.end[arg.to - 1]!, newText: '' }] });
      continue;
    }
    report(s, call, literal, `${what} a hard-coded secret`,
      { title: `Read the secret from process.env.${env}`, edits: [{ start: t.start[arg.from]!, end: t.end[arg.to - 1]!, newText: `process.env.${env}` }] });
  }
}

/** The string a variable declared as `process.env.X || '…'` (or `?? '…'`) falls back to, with its tokens. */
function declaredFallback(t: Tree, name: string): { literal: string; operator: number; literalAt: number } | undefined {
  for (let i = 1; i + 2 < t.count; i++) {
    if (!(t.kind[i] === Tok.Ident && isP(t, i + 1, '=') && tok(t, i) === name)) continue;
    if (!(isWord(t, i - 1, 'const') || isWord(t, i - 1, 'let') || isWord(t, i - 1, 'var'))) continue;
    const end = exprEnd(t, i + 2);
    const last = end - 1;
    const literal = stringValue(t, last);
    if (literal === undefined || literal.length === 0 || !(isP(t, last - 1, '||') || isP(t, last - 1, '??'))) return undefined;
    for (let j = i + 2; j < last - 1; j++) if (isWord(t, j, 'process') && isP(t, j + 1, '.') && isWord(t, j + 2, 'env')) return { literal, operator: last - 1, literalAt: last };
    return undefined;
  }
  return undefined;
}

/** Report over the call, carrying the secret so the engine redacts it in messages and fingerprints. */
function report(s: Scan, call: Call, secret: string, message: string, fix?: Fix): void {
  s.report.finding({
    ruleId: JsRule.HardcodedSigningSecret, start: s.t.start[call.first]!, end: callEnd(s.t, call), message, secret,
    ...(fix ? { fix } : {}),
  });
}

function isTrue(s: Scan, r: Range): boolean {
  return r.to === r.from + 1 && isWord(s.t, r.from, 'true');
}

function isFalse(s: Scan, r: Range): boolean {
  return r.to === r.from + 1 && (isWord(s.t, r.from, 'false') || tok(s.t, r.from) === '0');
}

// Missing or false `secure`/`httpOnly` in an options object literal, with the edits that set both to true.
function cookieFlags(s: Scan, open: number): { problems: string[]; edits: TextEdit[] } {
  const t = s.t;
  const entries = objectEntries(t, open);
  const problems: string[] = [];
  const edits: TextEdit[] = [];
  const missing: string[] = [];
  for (const key of ['secure', 'httpOnly']) {
    const e = entries.get(key);
    if (!e) { problems.push(`no ${key}`); missing.push(`${key}: true`); }
    else if (isFalse(s, e)) { problems.push(`${key}: false`); edits.push({ start: t.start[e.from]!, end: t.end[e.to - 1]!, newText: 'true' }); }
  }
  if (missing.length) {
    const empty = isP(t, open + 1, '}');
    edits.push({ start: t.end[open]!, end: t.end[open]!, newText: empty ? ` ${missing.join(', ')} ` : ` ${missing.join(', ')},` });
  }
  return { problems, edits };
}

function checkCookie(s: Scan, call: Call, optionsAt: number): void {
  const t = s.t;
  const name = call.args[0] ? s.flow.classify(call.args[0].from, call.args[0].to).value : undefined;
  if (name === undefined || !AUTH_COOKIE.test(name)) return;
  const options = call.args[optionsAt];
  const start = t.start[call.first]!;
  const end = callEnd(t, call);
  let fix: Fix | undefined;
  let problems: string[];
  if (!options) {
    if (call.args.length < optionsAt) return;
    problems = ['no options'];
    const at = t.end[call.args[call.args.length - 1]!.to - 1]!;
    fix = { title: 'Set secure and httpOnly', edits: [{ start: at, end: at, newText: ', { secure: true, httpOnly: true }' }] };
  } else {
    if (!isP(t, options.from, '{')) return; // options built elsewhere: not judged
    const flags = cookieFlags(s, options.from);
    problems = flags.problems;
    if (problems.length) fix = { title: 'Set secure and httpOnly', edits: flags.edits };
  }
  if (problems.length) emit(s, JsRule.InsecureCookie, start, end, `Cookie "${name}" is set with ${problems.join(', ')}; it needs secure and httpOnly`, fix);
}

function checkSession(s: Scan, call: Call, cookieKey: string): void {
  const t = s.t;
  const options = call.args[0];
  if (!options || !isP(t, options.from, '{')) return;
  const start = t.start[call.first]!;
  const end = callEnd(t, call);
  let open = options.from;
  if (cookieKey) {
    const e = objectEntries(t, open).get(cookieKey);
    if (!e) {
      if (!objectEntries(t, open).has('secret') && !objectEntries(t, open).has('store')) return; // not express-session's options
      const at = t.end[open]!;
      emit(s, JsRule.InsecureCookie, start, end, 'Session cookie has no secure flag (express-session defaults to secure: false)',
        { title: 'Set secure and httpOnly', edits: [{ start: at, end: at, newText: ' cookie: { secure: true, httpOnly: true },' }] });
      return;
    }
    if (!isP(t, e.from, '{')) return;
    open = e.from;
    // express-session defaults httpOnly to true; only secure must be present.
    const entries = objectEntries(t, open);
    const secure = entries.get('secure');
    const httpOnly = entries.get('httpOnly');
    const problems: string[] = [];
    const edits: TextEdit[] = [];
    if (!secure) { problems.push('no secure'); edits.push({ start: t.end[open]!, end: t.end[open]!, newText: isP(t, open + 1, '}') ? ' secure: true ' : ' secure: true,' }); }
    else if (isFalse(s, secure)) { problems.push('secure: false'); edits.push({ start: t.start[secure.from]!, end: t.end[secure.to - 1]!, newText: 'true' }); }
    if (httpOnly && isFalse(s, httpOnly)) { problems.push('httpOnly: false'); edits.push({ start: t.start[httpOnly.from]!, end: t.end[httpOnly.to - 1]!, newText: 'true' }); }
    if (problems.length) emit(s, JsRule.InsecureCookie, start, end, `Session cookie is configured with ${problems.join(', ')}`, { title: 'Set secure and httpOnly', edits });
    return;
  }
  const entries = objectEntries(t, open);
  const bad = ['secure', 'httpOnly'].filter((k) => { const e = entries.get(k); return e && isFalse(s, e); });
  if (bad.length) {
    const edits = bad.map((k) => { const e = entries.get(k)!; return { start: t.start[e.from]!, end: t.end[e.to - 1]!, newText: 'true' }; });
    emit(s, JsRule.InsecureCookie, start, end, `Session cookie is configured with ${bad.map((k) => `${k}: false`).join(', ')}`, { title: 'Set secure and httpOnly', edits });
  }
}

function checkCors(s: Scan, call: Call): void {
  const t = s.t;
  const options = call.args[0];
  if (!options || !isP(t, options.from, '{')) return;
  const entries = objectEntries(t, options.from);
  const credentials = entries.get('credentials');
  const origin = entries.get('origin');
  if (!credentials || !isTrue(s, credentials) || !origin) return;
  const wildcard = stringValue(t, origin.from) === '*' && origin.to === origin.from + 1;
  const reflect = isTrue(s, origin) || reflectsOrigin(s, origin);
  if (!wildcard && !reflect) return;
  emit(s, JsRule.CorsCredentials, t.start[call.first]!, callEnd(t, call),
    wildcard ? 'CORS allows every origin ("*") with credentials' : 'CORS reflects any request origin with credentials');
}

// `origin: (origin, cb) => cb(null, true)` accepts every origin.
function reflectsOrigin(s: Scan, r: Range): boolean {
  const text = s.t.text.slice(s.t.start[r.from]!, s.t.end[r.to - 1]!);
  return /=>|function/.test(text) && /\(\s*null\s*,\s*(?:true|origin)\s*\)/.test(text) && !/\b(?:includes|indexOf|has|test|===|==)\b|===|==/.test(text);
}

function checkCorsHeader(s: Scan, call: Call): void {
  const t = s.t;
  const name = s.flow.classify(call.args[0]!.from, call.args[0]!.to).value;
  if (name === undefined || name.toLowerCase() !== 'access-control-allow-origin') return;
  const r = call.args[1]!;
  const v = s.flow.classify(r.from, r.to);
  const wildcard = v.value === '*';
  const reflected = v.taint !== undefined && /origin/i.test(v.taint);
  if (!wildcard && !reflected) return;
  const body = enclosingBodyText(t, call.first);
  if (!/Access-Control-Allow-Credentials['"`]\s*,\s*(?:['"`]true['"`]|true)/i.test(body)) return;
  emit(s, JsRule.CorsCredentials, t.start[call.first]!, callEnd(t, call),
    wildcard ? 'Access-Control-Allow-Origin "*" is sent with Allow-Credentials: true' : `${v.taint} is reflected as Access-Control-Allow-Origin with credentials`);
}

function checkJwt(s: Scan, call: Call, last: string): void {
  const t = s.t;
  const start = t.start[call.first]!;
  const end = callEnd(t, call);
  if (last === 'decode') {
    const body = enclosingBodyText(t, call.first);
    const fn = enclosingFunctionName(t, call.first);
    const authLike = /auth|verify|guard|protect|require|check|middleware|login|session|admin|user/i.test(fn) ||
      /\b(?:req|request)\.(?:user|auth)\s*=|ctx\.state\.user\s*=/.test(body);
    if (authLike && !/\.verify\s*\(|jwtVerify\s*\(/.test(body)) {
      emit(s, JsRule.JwtUnverified, start, end, `${call.path} does not check the signature, but its result is used for authentication`);
    }
    return;
  }
  const optionsAt = last === 'verify' ? 2 : 2;
  const options = call.args[optionsAt];
  if (last === 'sign') {
    if (!options || !isP(t, options.from, '{')) return;
    const alg = objectEntries(t, options.from).get('algorithm');
    if (alg && stringValue(t, alg.from)?.toLowerCase() === 'none') emit(s, JsRule.JwtUnverified, start, end, 'JWT signed with algorithm "none"');
    return;
  }
  if (!options || !isP(t, options.from, '{')) {
    // No options (or a callback in their place): any algorithm the token names is accepted.
    if (options && t.kind[options.from] === Tok.Ident && !isWord(t, options.from, 'function') && !isP(t, options.from + 1, '=>')) return;
    emit(s, JsRule.JwtUnverified, start, end, `${call.path} is called without an algorithms list`);
    return;
  }
  const entries = objectEntries(t, options.from);
  const algorithms = entries.get('algorithms');
  const problems: string[] = [];
  if (!algorithms) problems.push('without an algorithms list');
  else if (/['"`]none['"`]/i.test(t.text.slice(t.start[algorithms.from]!, t.end[algorithms.to - 1]!))) problems.push('allowing algorithm "none"');
  const ignore = entries.get('ignoreExpiration');
  if (ignore && isTrue(s, ignore)) problems.push('ignoring expiry');
  if (problems.length) emit(s, JsRule.JwtUnverified, start, end, `${call.path} is called ${problems.join(' and ')}`);
}
