import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze, type Finding } from '../../server/engine/index.js';
import { mark } from '../helpers/mark.js';

/** JS-family findings of a snippet (other families filtered out). */
function scanJs(src: string, path = 'app.js'): Finding[] {
  return analyze(src, { path }).findings.filter((f) => f.category !== 'secret' && f.category !== 'unicode');
}

/** Assert that the marked span is reported as exactly one finding of `ruleId`, and nothing else is. */
function flags(ruleId: string, marked: string, path = 'app.js'): Finding {
  const [src, at] = mark(marked);
  const found = scanJs(src, path);
  assert.equal(found.map((f) => [f.ruleId, src.slice(f.start, f.end)]), [[ruleId, src.slice(at.start, at.end)]]);
  return found[0]!;
}

/** Assert that a snippet produces no JS findings. */
function clean(src: string, path = 'app.js'): void {
  assert.equal(scanJs(src, path).map((f) => `${f.ruleId}: ${src.slice(f.start, f.end)}`), []);
}

/** Apply a finding's fix. */
function applyFix(src: string, f: Finding): string {
  assert.ok(f.fix, `${f.ruleId} has a fix`);
  let out = src;
  for (const e of [...f.fix!.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const handler = (body: string): string => `app.get('/x', (req, res) => {\n${body}\n});`;

// --- injection.eval
test('eval of request data is reported with where it comes from', () => {
  const f = flags('injection.eval', handler('  «eval(req.query.code)»;'));
  assert.is(f.message, 'req.query.code reaches eval');
});
test('eval of a constant string and setTimeout with a function are not reported', () => {
  clean('eval("1 + 1");\nsetTimeout(() => tick(), 100);\nsetTimeout(tick, 100);\nconst f = new Function("a", "b", "return a + b");');
});
test('request text used as a template is template injection; request data as template variables is not', () => {
  const f = flags('injection.eval', "const ejs = require('ejs');\napp.post('/p', (req, res) => res.send(«ejs.render(req.body.template, { user: req.user })»));");
  assert.is(f.message, 'req.body.template is compiled as a template by ejs.render');
  flags('injection.eval', "import Handlebars from 'handlebars';\napp.get('/p', (req, res) => { const t = «Handlebars.compile(req.query.t)»; res.send(t({})); });");
  clean("const ejs = require('ejs');\napp.get('/p', (req, res) => res.send(ejs.render('<h1><%= name %></h1>', { name: req.query.name })));\napp.get('/v', (req, res) => res.render('index', { q: req.query.q }));");
});
test('new Function and string timers built from variables are reported', () => {
  flags('injection.eval', 'function f(expr) { return «new Function("x", "return " + expr)»; }');
  flags('injection.eval', 'function g(name) { «setTimeout("run_" + name + "()", 10)»; }');
});
test('a value embedded as JSON is a literal in code: not reported for eval, still for HTML', () => {
  clean('const dimport = (x) => new Function(`return import(${JSON.stringify(x)})`).call(0);\nfunction load(data) { return eval("(" + JSON.stringify(data) + ")"); }');
  flags('injection.eval', 'function f(x) { return «new Function(`return import(${x})`)»; }');
  flags('xss.dom-sink', handler('  «el.innerHTML = "<b>" + JSON.stringify(req.query.name) + "</b>"»;'));
});

// --- injection.command
test('exec with request data through a local variable is reported', () => {
  const f = flags('injection.command', `const { exec } = require('child_process');\n${handler('  const dir = req.query.dir;\n  «exec(`ls ${dir}`, cb)»;')}`);
  assert.is(f.message, 'req.query.dir reaches exec');
});
test('exec of a constant command and execFile without a shell are not reported', () => {
  clean(`import { exec, execFile } from 'node:child_process';\nexec('git status', cb);\n${handler('  execFile("convert", [req.query.file, "out.png"], cb);')}`);
});
test('spawn with shell: true and dynamic input is reported; aliased imports resolve', () => {
  flags('injection.command', `import * as cp from 'child_process';\nfunction run(cmd) { «cp.spawn(cmd, { shell: true })»; }`);
  flags('injection.command', `import { execSync as sh } from 'child_process';\nfunction run(branch) { «sh('git checkout ' + branch)»; }`);
});
test('require("child_process").exec inline is resolved', () => {
  flags('injection.command', handler('  «require("child_process").exec("ping -c 1 " + req.body.host)»;'));
});
test('regex .exec and a local exec method are not command injection', () => {
  clean('const m = /a(b)/.exec(input);\nconst r = pattern.exec(text + suffix);\nrunner.exec("x" + y);');
});

test('a variable shadowed in an inner block keeps its own value outside it; a redeclaration in the same block replaces it', () => {
  flags('injection.eval', handler([
    '  let code = req.query.code;',
    '  {',
    '    let code = "1 + 1";',
    '    eval(code);',
    '    { const other = req.body.x; }',
    '  }',
    '  «eval(code)»;',
  ].join('\n')));
  clean(handler('  var c = req.query.code;\n  var c = "2 + 2";\n  eval(c);'));
});
// --- injection.sql
test('SQL concatenation into db.query is reported and fixed with ? placeholders', () => {
  const [src] = mark(handler('  «db.query("SELECT * FROM users WHERE id = " + req.params.id)»;'));
  const f = flags('injection.sql', handler('  «db.query("SELECT * FROM users WHERE id = " + req.params.id)»;'));
  const fixed = applyFix(src, f);
  assert.ok(fixed.includes('db.query("SELECT * FROM users WHERE id = ?", [req.params.id])'));
  clean(fixed);
});
test('SQL template with quotes around a value is fixed with $n for pg', () => {
  const marked = `import pg from 'pg';\nasync function find(name, age) {\n  return «pool.query(\`SELECT * FROM users WHERE name = '\${name}' AND age > \${age}\`)»;\n}`;
  const [src] = mark(marked);
  const f = flags('injection.sql', marked);
  const fixed = applyFix(src, f);
  assert.ok(fixed.includes("pool.query(`SELECT * FROM users WHERE name = $1 AND age > $2`, [name, age])"), fixed);
  clean(fixed);
});
test('SQL built in a variable with += is reported at the query', () => {
  flags('injection.sql', handler('  let sql = "SELECT * FROM orders";\n  sql += " WHERE status = \'" + req.query.status + "\'";\n  «connection.execute(sql)»;'));
});
test('tagged templates, placeholders and constant SQL are safe', () => {
  clean([
    'const rows = await sql`SELECT * FROM users WHERE id = ${id}`;',
    'await prisma.$queryRaw`SELECT * FROM t WHERE a = ${a}`;',
    'db.query("SELECT * FROM users WHERE id = $1", [id]);',
    'const Q = "SELECT * FROM users"; db.query(Q + " LIMIT 10");',
    'db.query(sql`SELECT ${x}`);',
    'knex.raw("select * from t where id = ?", [id]);',
    'cache.get("user:" + id);',
  ].join('\n'));
});
test('$queryRawUnsafe with a template is reported without a fix', () => {
  const f = flags('injection.sql', 'async function q(id) { return «prisma.$queryRawUnsafe(`SELECT * FROM t WHERE id = ${id}`)»; }');
  assert.is(f.fix, undefined);
});
test('parseInt-sanitized values are not tainted, but still dynamic SQL', () => {
  clean(handler('  const page = parseInt(req.query.page, 10);\n  res.json({ page });'));
});

// --- xss.dom-sink
test('innerHTML with dynamic markup is reported; constants and sanitized HTML are not', () => {
  flags('xss.dom-sink', 'function show(name) { «el.innerHTML = "<b>" + name + "</b>"»; }');
  clean('el.innerHTML = "";\nel.innerHTML = "<br>";\nfunction s(h) { el.innerHTML = DOMPurify.sanitize(h); el.textContent = h; }');
});
test('location.hash into document.write is reported as tainted', () => {
  const f = flags('xss.dom-sink', '«document.write(location.hash.slice(1))»;');
  assert.is(f.message, 'location.hash reaches document.write as HTML');
});
test('insertAdjacentHTML and jQuery html/append with markup are reported', () => {
  flags('xss.dom-sink', 'function a(c) { «list.insertAdjacentHTML("beforeend", `<li>${c}</li>`)»; }');
  flags('xss.dom-sink', 'function a(c) { «$("#out").html(c)»; }');
  flags('xss.dom-sink', 'function a(c) { «$list.append("<li>" + c + "</li>")»; }');
  clean('function a(node, k, v) { $list.append(node); form.append(k, v); $("#x").html("<i>ok</i>"); }');
});
test('dangerouslySetInnerHTML in TSX is reported unless sanitized', () => {
  flags('xss.dom-sink', 'export function Bio({ html }: { html: string }) {\n  return <div «dangerouslySetInnerHTML={{ __html: html }}» />;\n}', 'bio.tsx');
  clean('export function Bio({ html }: { html: string }) {\n  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />;\n}', 'bio.tsx');
});

// --- path traversal, SSRF, redirect
test('request data through path.join reaches fs.readFile', () => {
  const f = flags('path-traversal.request-path', `import fs from 'fs';\n${handler('  const p = path.join(ROOT, req.params.name);\n  «fs.readFile(p, "utf8", cb)»;')}`);
  assert.is(f.message, 'req.params.name reaches fs.readFile as a file path');
});
test('basename, a startsWith guard and sendFile with root are safe', () => {
  clean(`import fs from 'fs';\n${handler([
    '  fs.readFile(path.join(ROOT, path.basename(req.query.f)), cb);',
    '  const full = path.resolve(ROOT, req.query.g);',
    '  if (!full.startsWith(ROOT)) return res.sendStatus(403);',
    '  fs.createReadStream(full).pipe(res);',
    '  res.sendFile(req.params.file, { root: PUBLIC });',
    '  fs.readFile("/etc/app.conf", cb);',
  ].join('\n'))}`);
});
test('destructured request fields are tainted', () => {
  flags('path-traversal.request-path', handler('  const { file } = req.query;\n  «res.download(file)»;'));
});
test('fetch of a request URL is SSRF; a fixed host with a request path is not', () => {
  flags('ssrf.request-url', handler('  «fetch(req.query.url)».then((r) => r.text());'));
  flags('ssrf.request-url', `import axios from 'axios';\n${handler('  const target = req.body.webhook;\n  «axios.post(target, payload)»;')}`);
  clean(handler('  fetch(`https://api.example.com/users/${encodeURIComponent(req.params.id)}`);\n  fetch("https://api.example.com/items/" + req.query.id);'));
});
test('a request object the code constructs is not the incoming request; one built from request data still carries it', () => {
  // minipass-fetch follows a redirect with a Request it built itself.
  clean('async function get(url, opts) {\n  const request = new Request(url, opts);\n  const next = new URL(location, request.url).toString();\n  return fetch(new Request(next, opts));\n}');
  clean('function f(u) { const req = new http.ClientRequest(u); return fetch(req.url); }');
  flags('ssrf.request-url', handler('  const outgoing = new Request(req.query.target);\n  «fetch(outgoing.url)»;'));
  flags('ssrf.request-url', `export async function GET(request) {\n  const target = new URL(request.url).searchParams.get("u");\n  return «fetch(target)»;\n}`);
});
test('request text in an HTML server response is reflected XSS; JSON, text, escaped values and looked-up records are not', () => {
  const f = flags('xss.server-response', handler('  «res.send(`<h1>Hello ${req.query.name}</h1>`)»;'));
  assert.is(f.message, 'req.query.name is sent back unescaped in an HTML response by res.send');
  flags('xss.server-response', handler("  «res.status(404).send('No such page: ' + req.params.page)»;")); // Express answers strings as text/html
  flags('xss.server-response', handler('  const name = capitalize(req.query.name);\n  «res.send(`<p>${name}</p>`)»;'));
  flags('xss.server-response', handler("  «res.type('html').send(req.query.q)»;"));
  flags('xss.server-response', handler("  «res.end('<p>' + req.query.q + '</p>')»;"));
  flags('xss.server-response', "app.get('/h', (c) => «c.html(`<p>${c.req.query('q')}</p>`)»);", 'app.ts');
  flags('xss.server-response', 'router.get("/k", (ctx) => { «ctx.body = `<p>${ctx.query.q}</p>`»; });');
  clean('router.get("/k", (ctx) => { ctx.body = `You asked for ${ctx.query.q}`; ctx.body = { q: ctx.query.q }; });'); // text/plain, JSON
  clean(handler([
    '  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);',
    '  res.send({ q: req.query.q });',
    '  res.json({ q: req.query.q });',
    "  res.type('json').send(JSON.stringify(req.query));",
    '  res.end(JSON.stringify({ q: req.query.q }));',
    '  res.send(`<p>Page ${Number(req.query.page)}</p>`);',
  ].join('\n')));
  // A record fetched by a request id depends on the request but is not its text.
  clean([
    "app.get('/u/:id', async (req, res) => {",
    '  const user = await User.findById(req.params.id);',
    '  res.send(`<h1>${user.name}</h1>`);',
    '  const page = await fetch(`https://cdn.example.com/${encodeURIComponent(req.query.src)}`);',
    '  res.send(await page.text());',
    '});',
  ].join('\n'));
});

test('a signing secret written into the code is reported with its redacted form and a fix that reads the environment', () => {
  const jwt = "import jwt from 'jsonwebtoken';\n";
  const f = flags('auth.hardcoded-signing-secret', `${jwt}const t = «jwt.sign({ id }, 'mysupersecretkey123', { expiresIn: '1h' })»;`);
  assert.is(f.message, 'jwt.sign signs with a hard-coded secret');
  assert.is(f.redacted, 'my…(19 chars)');
  assert.match(applyFix(`${jwt}const t = jwt.sign({ id }, 'mysupersecretkey123', { expiresIn: '1h' });`, f), "jwt.sign({ id }, process.env.JWT_SECRET, { expiresIn: '1h' })");
  flags('auth.hardcoded-signing-secret', `${jwt}«jwt.verify(token, process.env.JWT_SECRET || 'dev-secret', { algorithms: ['HS256'] })»;`);
  flags('auth.hardcoded-signing-secret', `${jwt}const JWT_SECRET = 'hunter2hunter2';\n«jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] })»;`);
  flags('auth.hardcoded-signing-secret', "import session from 'express-session';\napp.use(«session({ secret: 'keyboard cat', resave: false, cookie: { secure: true } })»);");
  flags('auth.hardcoded-signing-secret', "import cookieParser from 'cookie-parser';\napp.use(«cookieParser('s3cr3t')»);");
  // Declared with an environment fallback: the fix removes the fallback where it is declared.
  const decl = `${jwt}const JWT_SECRET = process.env.JWT_SECRET || 'your-secret-key';\nexport const sign = (u) => «jwt.sign({ id: u.id }, JWT_SECRET)»;`;
  const g = flags('auth.hardcoded-signing-secret', decl);
  assert.match(applyFix(decl.replace(/[«»]/g, ''), g), 'const JWT_SECRET = process.env.JWT_SECRET;\n');
  clean(`${jwt}jwt.sign(p, process.env.JWT_SECRET); jwt.sign(p, config.jwtSecret); jwt.sign(p, privateKey, { algorithm: 'RS256' });`);
  clean(`${jwt}jwt.sign({ id: 1 }, 'test-secret');`, 'test/auth.test.js'); // fixtures sign nothing real
});

test('request values that may be objects in a MongoDB filter are NoSQL injection; strings, $eq and route params are not', () => {
  const src = "app.post('/login', async (req, res) => {\n  const u = await «User.findOne({ email: req.body.email, password: req.body.password })»;\n});";
  const f = flags('injection.nosql', src);
  assert.is(f.message, 'req.body.email, req.body.password may be objects such as { $ne: null } where User.findOne expects values for "email", "password"');
  assert.match(applyFix(src.replace(/[«»]/g, ''), f), 'User.findOne({ email: String(req.body.email), password: String(req.body.password) })');
  const short = "const { MongoClient } = require('mongodb');\napp.post('/l', async (req, res) => {\n  const { email } = req.body;\n  await «users.findOne({ email })»;\n});";
  assert.match(applyFix(short.replace(/[«»]/g, ''), flags('injection.nosql', short)), 'users.findOne({ email: String(email) })');
  flags('injection.nosql', handler('  «User.find(req.query)».then((r) => res.json(r));'));
  clean(handler([
    '  User.findOne({ _id: req.params.id });', // route params are strings
    '  User.findOne({ email: String(req.body.email) });',
    '  User.findOne({ email: { $eq: req.body.email } });',
    '  const hit = list.find((x) => x.id === req.query.id);', // Array.prototype.find
    '  const input = schema.parse(req.body);\n  User.findOne({ email: input.email });', // validated
  ].join('\n')));
  // An application service with Mongo-like method names, in a file with no database library, is not a query.
  clean(handler('  service.deleteMany(req.body.keys);\n  service.updateMany(req.body.keys, req.body.data);'));
});

test('the whole request body written to a record is mass assignment; picked fields, validated bodies and copies are not', () => {
  const f = flags('auth.mass-assignment', handler('  «User.create(req.body)».then((u) => res.json(u));'));
  assert.is(f.message, 'The whole req.body is written by User.create: a client can set any field (role, isAdmin, ownerId…)');
  flags('auth.mass-assignment', handler('  «Post.findByIdAndUpdate(req.params.id, req.body)».then(() => res.end());'));
  flags('auth.mass-assignment', handler('  const user = load(req.params.id);\n  «Object.assign(user, req.body)»;'));
  flags('auth.mass-assignment', handler('  «prisma.post.create({ data: { ...req.body, authorId: req.user.id } })»;'));
  flags('auth.mass-assignment', handler('  const data = req.body;\n  «repo.save(data)»;'));
  clean(handler([
    '  const { name, email } = req.body;\n  User.create({ name, email });',
    '  User.create(Schema.parse(req.body));',
    '  const copy = Object.assign({}, req.body);',
    "  const sig = crypto.createHmac('sha256', key).update(req.body).digest('hex');",
    '  service.createMany(req.body);', // Directus-style service: field permissions are enforced inside it
    '  User.update({ name: req.body.name }, { where: { id: req.params.id } });',
  ].join('\n')));
});

test('Hono: the context\'s req accessors are request data, whatever the context is called', () => {
  const f = flags('ssrf.request-url', "app.get('/f', async (c) => { const r = await «fetch(c.req.query('url'))»; return c.text('ok'); });", 'app.ts');
  assert.is(f.message, "c.req.query('url') chooses the URL fetched by fetch");
  flags('redirect.open-redirect', "app.get('/go', (ctx) => «ctx.redirect(ctx.req.param('to'))»);", 'app.ts');
  flags('path-traversal.request-path', "import { readFile } from 'node:fs/promises';\napp.post('/u', async (c) => { const { name } = await c.req.json(); return «readFile(name)»; });", 'app.ts');
  clean("app.get('/ok', (c) => c.redirect('/home?x=' + encodeURIComponent(c.req.query('x'))));", 'app.ts');
});

test('NestJS: parameters decorated with @Query, @Param, @Body, @Headers or @Req carry request data into the method', () => {
  const controller = (method: string): string => `@Controller('x')\nexport class X {\n${method}\n}`;
  const f = flags('path-traversal.request-path', controller("  @Get(':n') get(@Param('n') n: string, @Res() res: Response): void { «res.sendFile('/srv/' + n)»; }"), 'x.controller.ts');
  assert.is(f.message, "@Param('n') n reaches res.sendFile as a file path");
  // A return type with a type literal comes between the parameters and the body.
  flags('injection.sql', controller("  @Get() async s(@Query('q') q: string): Promise<{ rows: Row[] }> { return { rows: await «this.db.query(`SELECT * FROM t WHERE a = '${q}'`)» }; }"), 'x.controller.ts');
  flags('redirect.open-redirect', controller('  @Get() go(@Req() r: Request, @Res() res: Response) { «res.redirect(r.query.next as string)»; }'), 'x.controller.ts');
  // An abstract method has no body: its decorated names must not reach the next method's body.
  clean(controller("  abstract find(@Query('q') q: string): Promise<string>;\n  run() { return fetch(q); }"), 'x.controller.ts');
  // Only the decorated method's parameters: a same-named variable elsewhere is not request data.
  clean(controller("  @Get() a(@Query('q') q: string) { return q.length; }\n  b() { const q = 'fixed'; return fetch(q); }"), 'x.controller.ts');
});

test('a resolver plugin\'s `request` is not an HTTP request; handlers that take one alone or with a response are', () => {
  clean("const fs = require('fs');\nresolver.getHook('x').tapAsync('P', (request, resolveContext, callback) => {\n  fs.stat(request.path, () => callback());\n});");
  flags('path-traversal.request-path', "const fs = require('fs');\nfastify.get('/f', async (request, reply) => «fs.readFileSync('./files/' + request.query.name)»);");
  flags('path-traversal.request-path', "const fs = require('fs');\nserver.route({ handler: (request, h) => «fs.readFileSync('./files/' + request.params.name)» });");
  // Inside a callback nested in the handler, the handler's parameters decide.
  flags('path-traversal.request-path', "const fs = require('fs');\napp.get('/f', function (request, response) {\n  items.forEach((x) => «fs.readFileSync('./f/' + request.query.name)»);\n});");
});

test('dynamic import and require of request data are path traversal', () => {
  flags('path-traversal.request-path', handler('  const mod = await «import(`./plugins/${req.query.plugin}.js`)»;'));
  flags('path-traversal.request-path', handler('  const dict = «require("./locales/" + req.params.lang + ".json")»;'));
  clean('const fs = require("fs");\nconst lazy = await import("./heavy.js");');
});
test('a Location header from request data is an open redirect', () => {
  flags('redirect.open-redirect', handler('  «res.writeHead(302, { Location: req.query.to })»;'));
  flags('redirect.open-redirect', 'export async function handler(event) {\n  return { statusCode: 302, headers: { «Location: event.queryStringParameters.next» } };\n}');
});
test('a configured base URL before request data fixes the host', () => {
  clean(handler('  axios.get(`${process.env.API_BASE}/users/${req.params.id}`);\n  fetch(API_BASE + "/items/" + req.query.id);\n  res.redirect(`${APP_URL}/done?ref=${req.query.ref}`);'));
  flags('ssrf.request-url', handler('  «fetch("https://" + req.query.host + "/status")»;'));
  flags('ssrf.request-url', handler('  «fetch(`${req.query.base}/status`)»;'));
});
test('open redirects from the request and from location.search', () => {
  flags('redirect.open-redirect', handler('  «res.redirect(req.query.next)»;'));
  flags('redirect.open-redirect', 'const params = new URLSearchParams(location.search);\n«window.location.href = params.get("returnTo")»;');
  clean(handler('  res.redirect("/login");\n  res.redirect(301, "/users/" + req.params.id);\n  res.redirect(ALLOWED.includes(req.query.to) ? req.query.to : "/");'));
});

// --- crypto
test('md5 of a password is a weak password hash; md5 of a body is a weak hash', () => {
  flags('crypto.weak-password-hash', `import crypto from 'crypto';\nfunction store(user, password) {\n  const h = «crypto.createHash('md5')».update(password).digest('hex');\n}`);
  flags('crypto.weak-hash', `import crypto from 'crypto';\nconst etag = «crypto.createHash('sha1')».update(body).digest('hex');`);
  clean(`import crypto from 'crypto';\nconst h = crypto.createHash('sha256').update(password).digest('hex');\nconst mac = crypto.createHmac('sha1', key).update(msg).digest();`);
});
test('broken ciphers and ECB are reported; AES-GCM is not', () => {
  flags('crypto.broken-cipher', 'const c = «crypto.createCipher("aes-256-cbc", key)»;');
  flags('crypto.broken-cipher', 'const c = «crypto.createCipheriv("des-ede3-cbc", key, iv)»;');
  flags('crypto.broken-cipher', 'const ALG = "aes-128-ecb";\nconst c = «crypto.createCipheriv(ALG, key, null)»;');
  clean('const c = crypto.createCipheriv("aes-256-gcm", key, iv);');
});
test('Math.random for a token is reported and fixed with randomUUID', () => {
  const marked = 'const resetToken = «Math.random()».toString(36).substring(2);';
  const [src] = mark(marked);
  const f = flags('crypto.insecure-random', marked);
  const fixed = applyFix(src, f);
  assert.is(fixed, 'const resetToken = globalThis.crypto.randomUUID();');
  clean(fixed);
});
test('Math.random for jitter, colours, shuffles and React keys is not reported', () => {
  clean('const chartId = `chart-${Math.random().toString(36).slice(2)}`;\nconst sessionTimeout = 1800 * (1 + Math.random() * 0.1);\nconst delay = Math.random() * 1000;\nconst i = Math.floor(Math.random() * items.length);\nfunction shuffle(a) { return a.sort(() => Math.random() - 0.5); }\nconst el = <li key={Math.random()}>x</li>;');
});
test('Math.random that picks an element is not reported, even where the name says id or token', () => {
  clean('const randomId = () => ids[Math.floor(Math.random() * ids.length)];\nconst token = words[(Math.random() * words.length) | 0];');
  flags('crypto.insecure-random', 'const sessionId = «Math.random()».toString(36);');
});
test('Math.random in an arrow function named for an id is reported', () => {
  flags('crypto.insecure-random', 'const makeRequestId = () => «Math.random()».toString(36).slice(2);');
});
test('Math.random inside a function that makes session ids is reported', () => {
  flags('crypto.insecure-random', 'function newSessionId() {\n  return Date.now().toString(16) + «Math.random()».toString(16).slice(2);\n}');
});
test('several Math.random calls making one value in one function are one finding; separate names and functions are not merged', () => {
  // three.js's generateUUID calls Math.random four times.
  flags('crypto.insecure-random', 'function generateUUID() {\n  const d0 = «Math.random()» * 0xffffffff | 0;\n  const d1 = Math.random() * 0xffffffff | 0;\n  return hex(d0) + hex(d1);\n}');
  const two = scanJs('function a() { const token = Math.random(); const sessionId = Math.random(); }\nfunction makeId() { return Math.random(); }\nfunction makeIdToo() { return Math.random(); }', 'a.js');
  assert.is(two.filter((f) => f.ruleId === 'crypto.insecure-random').length, 4);
});

// --- tls
test('rejectUnauthorized: false is reported and fixed to true', () => {
  const marked = 'const agent = new https.Agent({ «rejectUnauthorized: false» });';
  const [src] = mark(marked);
  const fixed = applyFix(src, flags('tls.reject-unauthorized-disabled', marked));
  assert.is(fixed, 'const agent = new https.Agent({ rejectUnauthorized: true });');
  clean(fixed);
});
test('NODE_TLS_REJECT_UNAUTHORIZED = "0" is reported and its line deleted by the fix', () => {
  const marked = 'start();\n«process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"»;\nrun();';
  const [src] = mark(marked);
  const fixed = applyFix(src, flags('tls.reject-unauthorized-disabled', marked));
  assert.is(fixed, 'start();\nrun();');
});
test('strictSSL false and a no-op checkServerIdentity are reported; true settings are not', () => {
  flags('tls.reject-unauthorized-disabled', 'request({ url, «strictSSL: false» });');
  flags('tls.reject-unauthorized-disabled', 'tls.connect({ host, «checkServerIdentity: () => undefined» });');
  clean('https.request({ host, rejectUnauthorized: true });\nif (process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0") warn();');
});

// --- deserialization, prototype pollution, jwt, cookies, cors
test('node-serialize unserialize and vm on dynamic input are reported', () => {
  flags('deserialization.unsafe', `const serialize = require('node-serialize');\n${handler('  const obj = «serialize.unserialize(req.cookies.profile)»;')}`);
  flags('deserialization.unsafe', 'function run(code) { return «vm.runInNewContext(code, sandbox)»; }');
  clean('const yaml = require("js-yaml");\nconst doc = yaml.load(text);\nvm.runInNewContext("1 + 1", {});');
});
test('js-yaml with the full schema is reported', () => {
  flags('deserialization.unsafe', 'const doc = «yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA })»;');
});
test('for-in over req.body assigning by key is prototype pollution unless guarded', () => {
  const f = flags('injection.prototype-pollution', handler('  for (const key in req.body) {\n    «config[key] = req.body[key]»;\n  }'));
  assert.is(f.message, 'a key of req.body chooses the property assigned here (can be "__proto__")');
  clean(handler('  for (const key in req.body) {\n    if (key === "__proto__" || key === "constructor") continue;\n    config[key] = req.body[key];\n  }'));
  clean(handler('  const store = Object.create(null);\n  store[req.query.k] = req.body;\n  items[i] = req.body.x;\n  counts[req.params.id] = (counts[req.params.id] ?? 0) + 1;'));
  flags('injection.prototype-pollution', handler('  «config[req.query.section][req.query.key] = 1»;'));
});
test('jwt.verify without algorithms, with none, and decode used for auth are reported', () => {
  flags('auth.jwt-unverified', 'const p = «jwt.verify(token, publicKey)»;');
  flags('auth.jwt-unverified', 'const p = «jwt.verify(token, key, { algorithms: ["HS256", "none"] })»;');
  flags('auth.jwt-unverified', 'function requireUser(req, res, next) {\n  req.user = «jwt.decode(req.headers.authorization)»;\n  next();\n}');
  clean('const p = jwt.verify(token, publicKey, { algorithms: ["RS256"] });\nconst shown = jwt.decode(token);');
});
test('a session cookie without flags is reported and the fix adds them', () => {
  const marked = 'function login(res, sid) { «res.cookie("sid", sid, { maxAge: 3600 })»; }';
  const [src] = mark(marked);
  const fixed = applyFix(src, flags('config.insecure-cookie', marked));
  assert.ok(fixed.includes('{ secure: true, httpOnly: true, maxAge: 3600 }'), fixed);
  clean(fixed);
  clean('res.cookie("theme", "dark");\nres.cookie("session", id, { secure: true, httpOnly: true, sameSite: "lax" });');
});
test('express-session with secure: false is reported', () => {
  flags('config.insecure-cookie', `import session from 'express-session';\napp.use(«session({ secret: s, cookie: { secure: false } })»);`);
});
test('cors with origin * or true and credentials is reported; a list is not', () => {
  flags('config.cors-wildcard-credentials', 'app.use(«cors({ origin: "*", credentials: true })»);');
  flags('config.cors-wildcard-credentials', 'app.use(«cors({ origin: true, credentials: true })»);');
  clean('app.use(cors({ origin: ["https://app.example.com"], credentials: true }));\napp.use(cors());');
});
test('a reflected Origin header with credentials is reported', () => {
  flags('config.cors-wildcard-credentials', handler('  «res.setHeader("Access-Control-Allow-Origin", req.headers.origin)»;\n  res.setHeader("Access-Control-Allow-Credentials", "true");'));
});

// --- syntax robustness
test('TypeScript annotations, generics and casts do not hide findings', () => {
  flags('path-traversal.request-path', `import { readFile } from 'node:fs/promises';\nexport async function h(req: Request<{}, {}, Body>, res: Response): Promise<void> {\n  const name: string = <string>req.query.name;\n  const data = await «readFile(name as string)»;\n}`, 'h.ts');
});
test('declarations and signatures are not calls', () => {
  clean('function eval(x) { return x; }\nclass A { insertAdjacentHTML(pos, html) { this.h = html; } createCipher(a, b) {} }', 'a.js');
  clean('interface E { insertAdjacentHTML(position: string, text: string): void; createCipher(algorithm: string, password?: string): void }\ndeclare function eval(x: string): any;', 'e.ts');
  clean('export declare function createCipher(algorithm: string, password: string): Cipher;', 'crypto.d.ts');
});
test('code in comments, strings and regexes is not analysed', () => {
  clean('// eval(req.query.x)\n/* el.innerHTML = a + b */\nconst s = "eval(req.query.x)";\nconst r = /eval\\(req\\.query/;\nconst t = `exec(${"x"})`;');
});
test('half-typed code does not throw and still reports complete statements', () => {
  const src = handler('  const f = req.query.f;\n  fs.readFile(f, cb);\n  db.query("SELECT * FROM t WHERE a = " + ');
  const r = analyze(src + '\nfunction (', { path: 'broken.js' });
  assert.equal(r.notes, []);
  assert.ok(r.findings.some((f) => f.ruleId === 'path-traversal.request-path'));
  for (const cut of [5, 40, 80, src.length - 3]) analyze(src.slice(0, cut), { path: 'broken.tsx' });
});
test('JSX text with apostrophes does not swallow the code after it', () => {
  flags('xss.dom-sink', 'const A = () => <p>Don\'t panic</p>;\nfunction b(x) { «el.innerHTML = x» }', 'a.jsx');
});
test('files over maxSastBytes get a too-large note and no SAST', () => {
  const r = analyze('eval(req.query.x);\n'.repeat(10), { path: 'big.js', config: { maxSastBytes: 50 } });
  assert.equal(r.findings.filter((f) => f.ruleId === 'injection.eval'), []);
  assert.equal(r.notes.map((n) => n.kind), ['too-large']);
  // Reports print the file beside each note: the message does not repeat it.
  assert.is(r.notes[0]!.message, '190 characters is over the 50 limit for JavaScript/TypeScript analysis; only secrets and Unicode rules ran');
});
test('a suppression comment silences a JS finding', () => {
  clean(handler('  // shippi-ignore-next-line injection.eval -- sandboxed\n  eval(req.query.code);'));
});

test.run();
