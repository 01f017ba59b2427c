/** Checks on call expressions: code, command and SQL injection, DOM XSS, path traversal, SSRF, redirects, deserialization. */
import type { TextEdit } from '../../types.js';
import { Tok } from './tokenizer.js';
import { Ctx, dynamicFor, reflectedFor, taintedFor, type Value } from './flow.js';
import { canonicalModule, resolvePath } from './imports.js';
import { JsRule } from './meta.js';
import { emit, fixedPrefix, rangeText, type Scan } from './context.js';
import { callEnd, exprEnd, isP, isWord, objectEntries, skip, stringValue, tok, type Call, type Range, type Tree } from './syntax.js';
import { sqlFix } from './sql-fix.js';
import { checkCryptoCall } from './crypto.js';
import { checkConfigCall } from './config.js';

const SQL_SINKS = new Set(['query', 'execute', 'raw', '$queryRawUnsafe', '$executeRawUnsafe', 'queryRawUnsafe', 'executeRawUnsafe',
  'whereRaw', 'havingRaw', 'orderByRaw', 'joinRaw', 'unsafe', 'prepare', 'all', 'get', 'run', 'each', 'many', 'one', 'none', 'any', 'oneOrNone', 'manyOrNone']);
const FS_CALL = /^fs\.(?:promises\.)?(?:readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|stat|statSync|lstat|lstatSync|access|accessSync|existsSync|open|openSync|copyFile|copyFileSync|rename|renameSync|mkdir|mkdirSync|readJson|readJSON|readJsonSync|outputFile|writeJson|remove|removeSync|truncate|chmod|symlink|opendir|readlink|realpath|createFile|pathExists)$/;
const SSRF_CALL = /^(?:fetch|window\.fetch|globalThis\.fetch|node-fetch|cross-fetch|isomorphic-fetch|axios|axios\.(?:get|post|put|patch|delete|head|options|request)|got|got\.(?:get|post|put|patch|delete|head|stream)|http\.(?:get|request)|https\.(?:get|request)|needle(?:\.(?:get|post|put|delete|head|request))?|superagent(?:\.(?:get|post|put|delete|head))?|request(?:\.(?:get|post|put|delete|head))?|ky(?:\.(?:get|post|put|delete|head))?|undici\.(?:request|fetch|stream))$/;
const JQUERY_HTML = /^(?:(?:\$|jQuery)\(\)|\$\w*)(?:\.\w+\(\))*\.(html|append|prepend|after|before|replaceWith|wrap|wrapAll|wrapInner)$/;
const REDIRECT_CALL = /(?:^|\.)(?:res|response|reply|ctx|c|context|Astro|h|NextResponse|Response)\.redirect$|^next\/navigation\.(?:redirect|permanentRedirect)$|^(?:window\.|document\.)?location\.(?:assign|replace)$/;

/** Classify a call argument (undefined when absent). */
export function arg(s: Scan, call: Call, n: number): Value | undefined {
  const r = call.args[n];
  return r ? s.flow.classify(r.from, r.to) : undefined;
}

function span(s: Scan, call: Call): [number, number] {
  return [s.t.start[call.first]!, callEnd(s.t, call)];
}

function flows(v: Value, ctx: number, sink: string, fallback: string): string | undefined {
  if (taintedFor(v, ctx)) return `${v.taint} reaches ${sink}`;
  if (dynamicFor(v, ctx)) return fallback;
  return undefined;
}

// MongoDB and Mongoose methods whose first argument is a filter document.
const NOSQL_FILTER_METHODS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'findOneAndRemove',
  'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne', 'countDocuments', 'exists', 'remove'];
const NOSQL_FILTER_SET = new Set(NOSQL_FILTER_METHODS);

// Methods that write their data argument into a record (Mongoose, Sequelize, TypeORM, Prisma), and Object.assign.
const MASS_ASSIGNMENT_METHODS = ['create', 'insertMany', 'insert', 'build', 'save', 'update', 'updateOne', 'updateMany',
  'findByIdAndUpdate', 'findOneAndUpdate', 'upsert', 'createMany', 'assign'];
const MASS_ASSIGNMENT_SET = new Set(MASS_ASSIGNMENT_METHODS);

// Last segments of every callee some check looks at; other calls are skipped before any regex runs.
const INTERESTING = new Set([
  'eval', 'Function', 'setTimeout', 'setInterval', 'exec', 'execSync', 'spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork',
  ...SQL_SINKS, 'write', 'writeln', 'insertAdjacentHTML', 'html', 'append', 'prepend', 'after', 'before', 'replaceWith', 'wrap',
  'wrapAll', 'wrapInner', 'sendFile', 'download', 'require', 'import', 'fetch', 'axios', 'post', 'put', 'patch', 'delete', 'head',
  'options', 'request', 'got', 'stream', 'needle', 'superagent', 'ky', 'redirect', 'permanentRedirect', 'assign', 'replace', 'send', 'end',
  'setHeader', 'header', 'set', 'writeHead', 'unserialize', 'runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction',
  'Script', 'load', 'loadAll', 'createHash', 'createHmac', 'md5', 'sha1', 'MD5', 'SHA1', 'createCipher', 'createDecipher',
  'createCipheriv', 'createDecipheriv', 'encrypt', 'decrypt', 'random', 'cookie', 'setCookie', 'session', 'expressSession',
  'cookieSession', 'cors', 'verify', 'sign', 'decode', 'startsWith', 'includes', 'has', 'test', 'indexOf',
  ...NOSQL_FILTER_METHODS, 'render', 'compile', 'renderString', 'template', ...MASS_ASSIGNMENT_METHODS,
  ...FS_CALL.source.slice(FS_CALL.source.indexOf('(?:readFile') + 3, FS_CALL.source.lastIndexOf(')')).split('|'),
]);

/** Whether some check looks at calls whose last name is `name`. */
export function interestingName(name: string): boolean {
  return INTERESTING.has(name);
}

/** Whether a call is worth checking at all (cheap: a set lookup). */
export function interesting(s: Scan, path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (INTERESTING.has(dot < 0 ? path : path.slice(dot + 1))) return true;
  const head = /^[\w$]+/.exec(path)?.[0];
  return head !== undefined && s.imports.has(head);
}

/** Run every call check on one call. */
export function checkCall(s: Scan, call: Call): void {
  const path = call.path;
  if (!interesting(s, path)) return;
  let resolved = resolvePath(path, s.imports);
  // require('child_process').exec(…) names its module inline.
  if (path.startsWith('require().') && s.t.kind[call.first + 2] === Tok.String) {
    resolved = canonicalModule(stringValue(s.t, call.first + 2) ?? '') + path.slice('require()'.length);
  }
  const dot = resolved.lastIndexOf('.');
  const last = dot < 0 ? resolved : resolved.slice(dot + 1);
  checkGuards(s, call, path, last);
  checkCode(s, call, resolved, path);
  checkCommand(s, call, resolved, path, last);
  if (SQL_SINKS.has(last) && !resolved.startsWith('child_process')) checkSql(s, call, path, last);
  checkXss(s, call, resolved, path, last);
  checkResponseXss(s, call, path, last);
  if (NOSQL_FILTER_SET.has(last) && path.includes('.') && dataLayer(s, path, MONGO_MODULES)) checkNoSql(s, call, path);
  if (MASS_ASSIGNMENT_SET.has(last) && (path === 'Object.assign' || (path.includes('.') && dataLayer(s, path, ORM_MODULES)))) checkMassAssignment(s, call, path, last);
  checkRequestSinks(s, call, resolved, path, last);
  checkDeserialization(s, call, resolved, path, last);
  checkCryptoCall(s, call, resolved, last);
  checkConfigCall(s, call, resolved, path, last);
}

// Allow-list and prefix checks sanitize the variable they look at for the rest of its block.
function checkGuards(s: Scan, call: Call, path: string, last: string): void {
  const t = s.t;
  if (last === 'startsWith' && dot1(path)) s.flow.guard(path.slice(0, path.indexOf('.')), Ctx.Path | Ctx.Url);
  if ((last === 'includes' || last === 'has' || last === 'test' || last === 'indexOf') && call.args.length >= 1) {
    const a = call.args[0]!;
    if (a.to === a.from + 1 && t.kind[a.from] === Tok.Ident) s.flow.guard(tok(t, a.from), last === 'test' ? 0x3f : 0x7f);
    // `name.includes('..')` checks the receiver itself.
    if (dot1(path) && (last === 'includes' || last === 'indexOf')) s.flow.guard(path.slice(0, path.indexOf('.')), Ctx.Path);
  }
}

function dot1(path: string): boolean {
  return /^[\w$]+\.\w+$/.test(path);
}

// Template engines compile their source into code: request text as the template is code injection (SSTI).
const TEMPLATE_COMPILE = /^(?:ejs\.(?:render|compile)|handlebars\.compile|Handlebars\.compile|pug\.(?:render|compile)|nunjucks\.renderString|(?:lodash|underscore|_)\.template|mustache\.render|Mustache\.render|dot\.template|doT\.template)$/;

function checkCode(s: Scan, call: Call, resolved: string, path: string): void {
  const [start, end] = span(s, call);
  if (TEMPLATE_COMPILE.test(resolved) || TEMPLATE_COMPILE.test(path)) {
    const v = arg(s, call, 0);
    // The request's own text (a template looked up by a request id is the application's).
    if (v && reflectedFor(v, Ctx.Code)) emit(s, JsRule.Eval, start, end, `${v.taint} is compiled as a template by ${path}`);
    return;
  }
  if (/^(?:window\.|globalThis\.)?eval$/.test(resolved)) {
    const v = arg(s, call, 0);
    const msg = v && flows(v, Ctx.Code, 'eval', 'eval runs a string built from non-constant values');
    if (msg) emit(s, JsRule.Eval, start, end, msg);
    return;
  }
  if (/^(?:window\.|globalThis\.)?Function$/.test(resolved)) {
    for (let n = 0; n < call.args.length; n++) {
      const v = arg(s, call, n)!;
      const msg = flows(v, Ctx.Code, `${call.isNew ? 'new ' : ''}Function`, 'new Function compiles a string built from non-constant values');
      if (msg) { emit(s, JsRule.Eval, call.isNew ? s.t.start[call.first - 1]! : start, end, msg); return; }
    }
    return;
  }
  if (/^(?:window\.|globalThis\.)?set(?:Timeout|Interval)$/.test(resolved) && call.args.length > 0) {
    const r = call.args[0]!;
    const v = s.flow.classify(r.from, r.to);
    const stringy = hasString(s, r) || v.value !== undefined;
    if (taintedFor(v, Ctx.Code)) emit(s, JsRule.Eval, start, end, `${v.taint} reaches ${path} as code`);
    else if (stringy && dynamicFor(v, Ctx.Code)) emit(s, JsRule.Eval, start, end, `${path} runs a string built from non-constant values`);
  }
}

function hasString(s: Scan, r: Range): boolean {
  for (let i = r.from; i < r.to; i = skip(s.t, i)) {
    const k = s.t.kind[i];
    if (k === Tok.String || k === Tok.Template || k === Tok.TemplateHead) return true;
  }
  return false;
}

function checkCommand(s: Scan, call: Call, resolved: string, path: string, last: string): void {
  const fromChildProcess = resolved.startsWith('child_process.') || /^(?:cp|childProcess|child_process|shell|shelljs)\./.test(path) || resolved.startsWith('shelljs.');
  if (!fromChildProcess) return;
  const [start, end] = span(s, call);
  if (last === 'exec' || last === 'execSync') {
    const v = arg(s, call, 0);
    const msg = v && flows(v, Ctx.Cmd, path, `${path} runs a shell command built from non-constant values`);
    if (msg) emit(s, JsRule.Command, start, end, msg);
    return;
  }
  if (!/^(?:spawn|spawnSync|execFile|execFileSync|fork)$/.test(last)) return;
  const options = call.args.find((r) => isP(s.t, r.from, '{'));
  const shell = options && objectEntries(s.t, options.from).get('shell');
  if (!shell || !(isWord(s.t, shell.from, 'true') || s.t.kind[shell.from] === Tok.String)) return;
  for (let n = 0; n < Math.min(2, call.args.length); n++) {
    if (call.args[n] === options) break;
    const v = arg(s, call, n)!;
    const msg = flows(v, Ctx.Cmd, `${path} with shell: true`, `${path} with shell: true runs non-constant input through a shell`);
    if (msg) { emit(s, JsRule.Command, start, end, msg); return; }
  }
}

function checkSql(s: Scan, call: Call, path: string, last: string): void {
  if (call.args.length === 0) return;
  const r = call.args[0]!;
  const v = s.flow.classify(r.from, r.to);
  if (!v.sqlText || !dynamicFor(v, Ctx.Sql)) return;
  const [start, end] = span(s, call);
  const msg = taintedFor(v, Ctx.Sql)
    ? `${v.taint} is concatenated into SQL passed to ${path}`
    : `SQL built from non-constant values is passed to ${path}`;
  const fix = (last === 'query' || last === 'execute') && call.args.length === 1 && !/sequelize/i.test(path)
    ? sqlFix(s, r) : undefined;
  emit(s, JsRule.Sql, start, end, msg, fix);
}

function checkXss(s: Scan, call: Call, resolved: string, path: string, last: string): void {
  let n = -1;
  let needsMarkup = false;
  if (/^(?:window\.)?document\.write(?:ln)?$/.test(resolved)) n = 0;
  else if (last === 'insertAdjacentHTML') n = 1;
  else {
    const m = JQUERY_HTML.exec(path);
    if (m) { n = 0; needsMarkup = m[1] !== 'html'; }
  }
  if (n < 0 || call.args.length <= n) return;
  const v = arg(s, call, n)!;
  if (!dynamicFor(v, Ctx.Html)) return;
  if (needsMarkup && !v.htmlText && !taintedFor(v, Ctx.Html)) return;
  const [start, end] = span(s, call);
  emit(s, JsRule.DomXss, start, end, taintedFor(v, Ctx.Html) ? `${v.taint} reaches ${path} as HTML` : `Non-constant HTML is passed to ${path}`);
}

// Evidence that a call writes or queries a database, not an application service of the same method name (Directus
// controllers call service.updateMany(req.body.keys, req.body.data), with field permissions inside the service):
// a model, repository or collection receiver, or a database library imported in the file.
const DATA_RECEIVER = /^(?:[A-Z][\w$]*|[\w$]*(?:Model|Repo|Repository|Collection)|model|repo|repository|collection|prisma(?:\.[\w$]+)?|db\.[\w$]+|models\.[\w$]+|[\w$.]*collection\(\))$/;
// Imports resolve to `module` or `module.member` (`const { MongoClient } = require('mongodb')`).
const MONGO_MODULES = /^(?:mongoose|mongodb|monk|mongojs|@nestjs\/mongoose|@typegoose\/typegoose)(?:\.|$)/;
const ORM_MODULES = /^(?:mongoose|mongodb|monk|mongojs|@nestjs\/mongoose|@typegoose\/typegoose|sequelize|sequelize-typescript|typeorm|@prisma\/client|objection|@mikro-orm\/\w+|drizzle-orm(?:\/\w+)?|knex)(?:\.|$)/;

function dataLayer(s: Scan, path: string, modules: RegExp): boolean {
  const receiver = path.slice(0, path.lastIndexOf('.')).replace(/^this\./, '');
  if (DATA_RECEIVER.test(receiver)) return true;
  for (const mod of s.imports.values()) if (modules.test(mod)) return true;
  return false;
}

// Request fields that can hold an object: a JSON body, a parsed query string, JSON cookies (not route params or headers,
// which are always strings).
// NestJS @Body() is left out: it is almost always validated into a typed DTO first.
const OBJECT_CAPABLE = /^(?:req|request|ctx|ctx\.request)\.(?:body|query|cookies|signedCookies)\b|^@Query\(|^\w+\.req\.(?:json|query|queries|parseBody)\(/;

/** A MongoDB/Mongoose filter whose value (or which as a whole) is request data that may be an object. */
function checkNoSql(s: Scan, call: Call, path: string): void {
  const t = s.t;
  const filter = call.args[0];
  if (!filter) return;
  const direct = (v: Value): boolean => v.taint !== undefined && (v.reflect ?? 0) !== 0 && OBJECT_CAPABLE.test(v.taint);
  if (!isP(t, filter.from, '{')) {
    // `User.find(req.query)`: the client writes the whole filter.
    if (!isChain(t, filter)) return;
    const v = s.flow.classify(filter.from, filter.to);
    if (direct(v)) emit(s, JsRule.NoSql, t.start[call.first]!, callEnd(t, call), `${v.taint} is used as the whole ${path} filter`);
    return;
  }
  const keys: string[] = [];
  const origins: string[] = [];
  const edits: TextEdit[] = [];
  for (const [key, e] of objectEntries(t, filter.from)) {
    // A bare value: a variable or member chain (String(x), `${x}` and { $eq: x } are not).
    if (!isChain(t, e)) continue;
    const v = s.flow.classify(e.from, e.to);
    if (!direct(v)) continue;
    keys.push(key);
    origins.push(v.taint!);
    const at = t.start[e.from]!;
    const endAt = t.end[e.to - 1]!;
    // Shorthand `{ email }` becomes `{ email: String(email) }`.
    edits.push(e.key === e.from ? { start: at, end: endAt, newText: `${key}: String(${key})` } : { start: at, end: at, newText: 'String(' }, ...(e.key === e.from ? [] : [{ start: endAt, end: endAt, newText: ')' }]));
  }
  if (keys.length === 0) return;
  const which = keys.map((k) => `"${k}"`).join(', ');
  emit(s, JsRule.NoSql, t.start[call.first]!, callEnd(t, call),
    `${[...new Set(origins)].join(', ')} may be ${keys.length === 1 ? 'an object' : 'objects'} such as { $ne: null } where ${path} expects ${keys.length === 1 ? 'a value' : 'values'} for ${which}`,
    { title: `Convert ${which} to strings`, edits });
}

// The whole body of a request, as a source names it.
const WHOLE_BODY = /^(?:req|request|ctx\.request)\.body$|^\w+\.req\.(?:json|parseBody)\(\)$/;

/** `User.create(req.body)`, `Post.findByIdAndUpdate(id, req.body)`, `prisma.user.create({ data: req.body })`. */
function checkMassAssignment(s: Scan, call: Call, path: string, last: string): void {
  const t = s.t;
  if (/crypto|hash|hmac|cipher/i.test(path)) return; // `createHmac(…).update(req.body)` hashes it
  const whole = (r: Range | undefined): string | undefined => {
    if (!r) return undefined;
    // `{ ...req.body, ownerId }` copies it all the same.
    const from = isP(t, r.from, '{') && isP(t, r.from + 1, '...') ? r.from + 2 : r.from;
    const to = from === r.from ? r.to : exprEnd(t, from);
    if (!isChain(t, { from, to })) return undefined;
    const v = s.flow.classify(from, to);
    return v.taint !== undefined && (v.reflect ?? 0) !== 0 && WHOLE_BODY.test(v.taint) ? v.taint : undefined;
  };
  let origin: string | undefined;
  if (last === 'assign') {
    // Object.assign(record, req.body); a fresh {} target is a copy, not a record.
    if (path === 'Object.assign' && call.args.length >= 2 && !isP(t, call.args[0]!.from, '{')) origin = call.args.slice(1).map(whole).find(Boolean);
  } else if (call.args[0] && isP(t, call.args[0].from, '{') && !isP(t, call.args[0].from + 1, '...')) {
    // Prisma: the record is under `data` (or `create`/`update` for upsert).
    const entries = objectEntries(t, call.args[0].from);
    origin = ['data', 'create', 'update'].map((k) => whole(entries.get(k))).find(Boolean);
  } else {
    origin = whole(call.args[0]) ?? (call.args.length >= 2 && /update/i.test(last) ? whole(call.args[1]) : undefined);
  }
  if (origin === undefined) return;
  const [start, end] = span(s, call);
  emit(s, JsRule.MassAssignment, start, end, `The whole ${origin} is written by ${path}: a client can set any field (role, isAdmin, ownerId…)`);
}

/** Whether a range is one identifier or member chain (`a`, `a.b.c`, `a?.b`). */
function isChain(t: Tree, r: Range): boolean {
  if (t.kind[r.from] !== Tok.Ident) return false;
  for (let i = r.from + 1; i < r.to; i += 2) if (!((isP(t, i, '.') || isP(t, i, '?.')) && t.kind[i + 1] === Tok.Ident)) return false;
  return (r.to - r.from) % 2 === 1;
}

// Server responses that a browser renders as HTML: Express's res.send (strings default to text/html), Hono's
// c.html, and a raw res.write/res.end whose text holds markup.
const RESPONSE_SEND = /^(?:res|response)(?:\.(?:status|set|type|contentType|header|append|vary|cookie|location|links)\(\))*\.(?:send|write|end)$|^(?:c|ctx|context)\.html$/;

function checkResponseXss(s: Scan, call: Call, path: string, last: string): void {
  if (call.args.length === 0 || !RESPONSE_SEND.test(path)) return;
  const t = s.t;
  const a = call.args[0]!;
  // An object or array is sent as JSON.
  if (isP(t, a.from, '{') || isP(t, a.from, '[')) return;
  const v = arg(s, call, 0)!;
  // Only the request's own text: a record looked up by a request id is not reflected input.
  if (!reflectedFor(v, Ctx.Html)) return;
  // A type set earlier in the chain decides: res.type('json').send(…) is not a page, res.type('html') is.
  let declared: 'html' | 'other' | undefined;
  for (let i = call.first; i < call.open; i++) {
    if (t.kind[i] !== Tok.String) continue;
    const text = stringValue(t, i) ?? '';
    if (/html/i.test(text)) declared = 'html';
    else if (/json|text|plain|csv|xml|javascript|octet|image|pdf/i.test(text)) declared = 'other';
  }
  if (declared === 'other') return;
  // write/end have no default type: only text that is evidently markup is a page.
  if ((last === 'write' || last === 'end') && declared === undefined && !v.htmlText) return;
  const [start, end] = span(s, call);
  emit(s, JsRule.ResponseXss, start, end, `${v.taint} is sent back unescaped in an HTML response by ${path}`);
}

function checkRequestSinks(s: Scan, call: Call, resolved: string, path: string, last: string): void {
  const t = s.t;
  const [start, end] = span(s, call);
  // Path traversal: fs.*, res.sendFile/download, require/import.
  let pathArgs: number[] = [];
  if (FS_CALL.test(resolved)) pathArgs = /^(?:copyFile|copyFileSync|rename|renameSync|symlink)$/.test(last) ? [0, 1] : [0];
  else if ((last === 'sendFile' || last === 'download') && dot1(path)) {
    const options = call.args[1];
    const rooted = options && isP(t, options.from, '{') && objectEntries(t, options.from).has('root');
    if (!rooted) pathArgs = [0];
  } else if ((path === 'require' || path === 'import') && call.args.length === 1) pathArgs = [0];
  for (const n of pathArgs) {
    const v = arg(s, call, n);
    if (v && taintedFor(v, Ctx.Path)) { emit(s, JsRule.PathTraversal, start, end, `${v.taint} reaches ${path} as a file path`); return; }
  }
  // SSRF: the URL (or host) of an outgoing request.
  if (SSRF_CALL.test(resolved) && !(resolved.startsWith('request') && !s.imports.has('request'))) {
    let n = 0;
    if (/^needle$/.test(resolved) && t.kind[call.args[0]?.from ?? 0] === Tok.String) n = 1;
    const r = call.args[n];
    if (!r) return;
    if (isP(t, r.from, '{')) {
      const entries = objectEntries(t, r.from);
      for (const key of ['url', 'baseURL', 'host', 'hostname', 'uri']) {
        const e = entries.get(key);
        if (!e) continue;
        const v = s.flow.classify(e.from, e.to);
        if (taintedFor(v, Ctx.Url) && !fixedPrefix(s, e)) { emit(s, JsRule.Ssrf, start, end, `${v.taint} chooses the ${key} of ${path}`); return; }
      }
      return;
    }
    const v = s.flow.classify(r.from, r.to);
    if (taintedFor(v, Ctx.Url) && !fixedPrefix(s, r)) emit(s, JsRule.Ssrf, start, end, `${v.taint} chooses the URL fetched by ${path}`);
    return;
  }
  // Open redirect.
  let target: Range | undefined;
  if (REDIRECT_CALL.test(resolved)) {
    target = call.args.length === 2 && t.kind[call.args[0]!.from] === Tok.Number ? call.args[1] : call.args[0];
  } else if (/^(?:setHeader|header|set|append)$/.test(last) && call.args.length === 2 && /^location$/i.test(s.flow.classify(call.args[0]!.from, call.args[0]!.to).value ?? '')) {
    target = call.args[1];
  } else if (last === 'writeHead') {
    for (const r of call.args) {
      if (!isP(t, r.from, '{')) continue;
      const e = objectEntries(t, r.from).get('Location') ?? objectEntries(t, r.from).get('location');
      if (e) target = e;
    }
  }
  if (target) {
    const v = s.flow.classify(target.from, target.to);
    if (taintedFor(v, Ctx.Url) && !fixedPrefix(s, target)) emit(s, JsRule.OpenRedirect, start, end, `${v.taint} chooses where ${path} redirects`);
  }
}

function checkDeserialization(s: Scan, call: Call, resolved: string, path: string, last: string): void {
  const t = s.t;
  let code = false;
  if (resolved === 'node-serialize.unserialize' || (last === 'unserialize' && /^(?:serialize|nodeSerialize|serializer)\.unserialize$|^unserialize$/.test(path))) code = true;
  else if (/^vm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction)$/.test(resolved) || (call.isNew && /^vm\.Script$/.test(resolved))) code = true;
  const [start, end] = span(s, call);
  if (code) {
    const v = arg(s, call, 0);
    if (!v) return;
    const msg = flows(v, Ctx.Code, path, `${path} runs non-constant input as code`);
    if (msg) emit(s, JsRule.Deserialization, call.isNew ? t.start[call.first - 1]! : start, end, msg);
    return;
  }
  if ((last === 'load' || last === 'loadAll') && call.args.length >= 2) {
    const text = rangeText(t, call.args[1]!, 10_000);
    if (/\b(?:DEFAULT_FULL_SCHEMA|FULL_SCHEMA)\b/.test(text)) {
      const v = arg(s, call, 0)!;
      if (!v.constant) emit(s, JsRule.Deserialization, start, end, `${path} with the full schema can build JavaScript functions from the document`);
    }
  }
}
