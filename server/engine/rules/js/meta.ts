/** Metadata of every JavaScript/TypeScript SAST rule: ids, CWE, OWASP 2021, severities, fix text, examples. */
import type { RuleMeta } from '../../types.js';

/** The rule ids of the JS/TS family (stable; never renamed). */
export const JsRule = {
  Eval: 'injection.eval',
  Command: 'injection.command',
  Sql: 'injection.sql',
  NoSql: 'injection.nosql',
  PrototypePollution: 'injection.prototype-pollution',
  DomXss: 'xss.dom-sink',
  ResponseXss: 'xss.server-response',
  PathTraversal: 'path-traversal.request-path',
  Ssrf: 'ssrf.request-url',
  OpenRedirect: 'redirect.open-redirect',
  WeakPasswordHash: 'crypto.weak-password-hash',
  WeakHash: 'crypto.weak-hash',
  BrokenCipher: 'crypto.broken-cipher',
  InsecureRandom: 'crypto.insecure-random',
  TlsDisabled: 'tls.reject-unauthorized-disabled',
  Deserialization: 'deserialization.unsafe',
  JwtUnverified: 'auth.jwt-unverified',
  HardcodedSigningSecret: 'auth.hardcoded-signing-secret',
  MassAssignment: 'auth.mass-assignment',
  InsecureCookie: 'config.insecure-cookie',
  CorsCredentials: 'config.cors-wildcard-credentials',
} as const;

const A01 = 'A01:2021-Broken Access Control';
const A02 = 'A02:2021-Cryptographic Failures';
const A03 = 'A03:2021-Injection';
const A05 = 'A05:2021-Security Misconfiguration';
const A07 = 'A07:2021-Identification and Authentication Failures';
const A08 = 'A08:2021-Software and Data Integrity Failures';
const A10 = 'A10:2021-Server-Side Request Forgery (SSRF)';

/** Every rule of the family. */
export const JS_RULES: readonly RuleMeta[] = [
  {
    id: JsRule.Eval, category: 'injection', severity: 'high',
    title: 'Code built at run time is evaluated',
    description: 'eval, new Function and setTimeout/setInterval with a string run text as code. When any part of that ' +
      'text is not a constant, whoever controls it can run arbitrary code in the page or the server process. Template ' +
      'engines (ejs, Handlebars, pug, nunjucks, lodash.template) compile their template the same way, so request text ' +
      'used as the template is server-side template injection.',
    cwe: ['CWE-95', 'CWE-1336'], owasp: [A03],
    fix: 'Do not evaluate strings. Parse data with JSON.parse, look behaviour up in a table of functions, and pass ' +
      'a function (not a string) to setTimeout/setInterval. Keep templates in files the application ships and pass ' +
      'request data only as template variables.',
    examples: [{ language: 'javascript', bad: 'eval("handle_" + req.query.action + "()")', good: 'handlers[action]?.()' }],
  },
  {
    id: JsRule.Command, category: 'injection', severity: 'high',
    title: 'Shell command built from non-constant input',
    description: 'child_process exec/execSync (and spawn/execFile with shell: true) hand the whole string to a shell. ' +
      'Shell metacharacters in any dynamic part (; | $() `) run further commands. Request-derived input makes it ' +
      'remotely exploitable; other dynamic input is still one mistake away.',
    cwe: ['CWE-78'], owasp: [A03],
    fix: 'Use execFile/spawn without a shell and pass arguments as an array: execFile("git", ["log", ref]). ' +
      'Validate values against an allow-list.',
    examples: [{ language: 'javascript', bad: 'exec("convert " + req.query.file + " out.png")', good: 'execFile("convert", [file, "out.png"])' }],
  },
  {
    id: JsRule.Sql, category: 'injection', severity: 'high',
    title: 'SQL built by concatenation or template substitution',
    description: 'A query string assembled from values lets those values change the query: quotes end the literal ' +
      'and the rest runs as SQL. Tagged templates (sql`…`, prisma.$queryRaw`…`) and placeholders with a values ' +
      'array keep data out of the query text.',
    cwe: ['CWE-89'], owasp: [A03],
    fix: 'Use placeholders and pass values separately: db.query("SELECT * FROM users WHERE id = $1", [id]) ' +
      '($1, $2… for PostgreSQL, ? for MySQL/SQLite), or a tagged sql`…` template.',
    examples: [{ language: 'javascript', bad: 'db.query("SELECT * FROM users WHERE id = " + id)', good: 'db.query("SELECT * FROM users WHERE id = $1", [id])' }],
  },
  {
    id: JsRule.NoSql, category: 'injection', severity: 'high',
    title: 'Request data used as a MongoDB query value',
    description: 'A JSON body or a query string (?email[$ne]=x) can carry an object instead of a string. Placed as a ' +
      'value in a MongoDB or Mongoose filter, { $ne: null } or { $gt: "" } matches every document: a login check ' +
      'passes without the password, a lookup returns other users\' records. A whole request object used as the ' +
      'filter lets the client write the query.',
    cwe: ['CWE-943'], owasp: [A03],
    fix: 'Convert each value to the type the field holds (String(req.body.email)), validate the body with a schema, ' +
      'or compare with an explicit { $eq: value }; never pass req.body or req.query as the filter itself.',
    examples: [{ language: 'javascript', bad: 'User.findOne({ email: req.body.email, password: req.body.password })', good: 'User.findOne({ email: String(req.body.email) })' }],
  },
  {
    id: JsRule.PrototypePollution, category: 'injection', severity: 'high',
    title: 'Request data chooses the property being assigned',
    description: 'obj[key] = value with a key taken from the request lets a client write "__proto__" or ' +
      '"constructor", changing Object.prototype for the whole process: properties appear on every object, which ' +
      'can bypass checks (isAdmin) or lead to code execution.',
    cwe: ['CWE-1321'], owasp: [A03],
    fix: 'Reject "__proto__", "constructor" and "prototype" keys, or use a Map or Object.create(null) for ' +
      'data keyed by user input.',
    examples: [{ language: 'javascript', bad: 'for (const k in req.body) settings[k] = req.body[k];', good: 'for (const k in req.body) if (ALLOWED.has(k)) settings[k] = req.body[k];' }],
  },
  {
    id: JsRule.DomXss, category: 'xss', severity: 'high',
    title: 'Non-constant HTML written into the page',
    description: 'innerHTML, outerHTML, document.write, insertAdjacentHTML, dangerouslySetInnerHTML and jQuery ' +
      '.html()/.append() parse their input as HTML. Unsanitized dynamic input can inject script (cross-site scripting).',
    cwe: ['CWE-79'], owasp: [A03],
    fix: 'Use textContent or build elements with the DOM; if HTML is really needed, sanitize it with ' +
      'DOMPurify.sanitize() first.',
    examples: [{ language: 'javascript', bad: 'el.innerHTML = "<b>" + name + "</b>"', good: 'el.textContent = name' }],
  },
  {
    id: JsRule.ResponseXss, category: 'xss', severity: 'high',
    title: 'Request data sent back as HTML',
    description: 'Express\'s res.send() answers a string as text/html unless another type is set; Hono\'s c.html(), ' +
      'Koa\'s ctx.body = \'<…\' and a raw res.write()/res.end() of markup do the same. Request data placed in that response unescaped ' +
      'runs as script in the visitor\'s browser (reflected cross-site scripting).',
    cwe: ['CWE-79'], owasp: [A03],
    fix: 'Escape the value for HTML (escape-html, he.encode) or render it through a template engine that escapes by ' +
      'default; if the response is not a page, send it as JSON (res.json) or plain text (res.type("text")).',
    examples: [{ language: 'javascript', bad: 'res.send(`<h1>Hello ${req.query.name}</h1>`)', good: 'res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`)' }],
  },
  {
    id: JsRule.PathTraversal, category: 'path-traversal', severity: 'high',
    title: 'Request data used as a file path',
    description: 'A path taken from the request can contain "../" or be absolute, reaching files outside the ' +
      'intended folder (reading secrets, overwriting code). path.join does not prevent this.',
    cwe: ['CWE-22'], owasp: [A01],
    fix: 'Take only the base name (path.basename), resolve against a fixed root and check that the result still ' +
      'starts with that root, or look the file up in an allow-list; use res.sendFile(name, { root }).',
    examples: [{ language: 'javascript', bad: 'fs.readFile(path.join(DIR, req.query.file))', good: 'fs.readFile(path.join(DIR, path.basename(req.query.file)))' }],
  },
  {
    id: JsRule.Ssrf, category: 'ssrf', severity: 'high',
    title: 'Request data chooses the URL of an outgoing request',
    description: 'When a client controls the URL (or host) the server fetches, it can make the server reach ' +
      'internal services, cloud metadata endpoints (169.254.169.254) or local files.',
    cwe: ['CWE-918'], owasp: [A10],
    fix: 'Fix the scheme and host in code and put user input only in the path or query (encoded), or check the ' +
      'parsed URL\'s host against an allow-list.',
    examples: [{ language: 'javascript', bad: 'await fetch(req.query.url)', good: 'await fetch(`https://api.example.com/items/${encodeURIComponent(id)}`)' }],
  },
  {
    id: JsRule.OpenRedirect, category: 'redirect', severity: 'medium',
    title: 'Request data chooses where to redirect',
    description: 'Redirecting to a URL taken from the request lets an attacker send users from a trusted link to a ' +
      'phishing site, or leak tokens in the URL.',
    cwe: ['CWE-601'], owasp: [A01],
    fix: 'Redirect only to relative paths you build, or check the target against an allow-list of hosts.',
    examples: [{ language: 'javascript', bad: 'res.redirect(req.query.next)', good: 'res.redirect(SAFE_PATHS.has(next) ? next : "/")' }],
  },
  {
    id: JsRule.WeakPasswordHash, category: 'crypto', severity: 'high',
    title: 'Password hashed with a fast, broken hash',
    description: 'MD5 and SHA-1 (and any single fast hash) can be brute-forced at billions of guesses per second; ' +
      'a leaked table of such password hashes is as good as plain text.',
    cwe: ['CWE-916', 'CWE-328'], owasp: [A02],
    fix: 'Use a password hashing function with a per-user salt: bcrypt, argon2, or crypto.scrypt(password, salt, 64).',
    examples: [{ language: 'javascript', bad: 'crypto.createHash("md5").update(password).digest("hex")', good: 'await bcrypt.hash(password, 12)' }],
  },
  {
    id: JsRule.WeakHash, category: 'crypto', severity: 'low',
    title: 'MD5 or SHA-1 used',
    description: 'MD5 and SHA-1 are broken for collision resistance. They are acceptable for non-security ' +
      'checksums and cache keys, but not for signatures, integrity checks against an attacker, or secrets.',
    cwe: ['CWE-328'], owasp: [A02],
    fix: 'Use SHA-256 or better (crypto.createHash("sha256")); for passwords use bcrypt, argon2 or scrypt.',
    examples: [{ language: 'javascript', bad: 'crypto.createHash("sha1").update(body)', good: 'crypto.createHash("sha256").update(body)' }],
  },
  {
    id: JsRule.BrokenCipher, category: 'crypto', severity: 'high',
    title: 'Broken cipher or cipher mode',
    description: 'crypto.createCipher derives the key with one MD5 round and no IV (deprecated); DES, 3DES, RC2, ' +
      'RC4 and Blowfish are broken or have small blocks; ECB mode encrypts equal blocks to equal output and leaks ' +
      'patterns.',
    cwe: ['CWE-327'], owasp: [A02],
    fix: 'Use crypto.createCipheriv("aes-256-gcm", key, iv) with a random 12-byte IV per message and check the ' +
      'auth tag on decryption.',
    examples: [{ language: 'javascript', bad: 'crypto.createCipheriv("des-ede3-cbc", key, iv)', good: 'crypto.createCipheriv("aes-256-gcm", key, iv)' }],
  },
  {
    id: JsRule.InsecureRandom, category: 'crypto', severity: 'medium',
    title: 'Math.random used for a security value',
    description: 'Math.random is not cryptographically secure: its output can be predicted from a few samples. ' +
      'Tokens, ids, passwords, salts, nonces and keys made from it can be guessed.',
    cwe: ['CWE-338'], owasp: [A02],
    fix: 'Use crypto.randomUUID() or crypto.randomBytes(n).toString("hex") (crypto.getRandomValues in browsers).',
    examples: [{ language: 'javascript', bad: 'const token = Math.random().toString(36).slice(2)', good: 'const token = crypto.randomUUID()' }],
  },
  {
    id: JsRule.TlsDisabled, category: 'tls', severity: 'high',
    title: 'TLS certificate verification disabled',
    description: 'rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED=0, strictSSL: false or a no-op ' +
      'checkServerIdentity accept any certificate, so anyone on the network path can read and change the traffic.',
    cwe: ['CWE-295'], owasp: [A02, A07],
    fix: 'Remove the override. For a private CA, pass its certificate with the ca option instead.',
    examples: [{ language: 'javascript', bad: 'https.request(url, { rejectUnauthorized: false })', good: 'https.request(url, { ca: fs.readFileSync("ca.pem") })' }],
  },
  {
    id: JsRule.Deserialization, category: 'deserialization', severity: 'high',
    title: 'Unsafe deserialization or evaluation of data',
    description: 'node-serialize unserialize runs functions embedded in the data (IIFE payloads); js-yaml with the ' +
      'full schema builds JavaScript functions; vm.runIn*Context is not a security sandbox. Any of them on ' +
      'non-constant input can run attacker code.',
    cwe: ['CWE-502'], owasp: [A08],
    fix: 'Use JSON.parse for data, js-yaml load() with the default (safe) schema, and never run untrusted code in vm.',
    examples: [{ language: 'javascript', bad: 'serialize.unserialize(req.cookies.profile)', good: 'JSON.parse(req.cookies.profile)' }],
  },
  {
    id: JsRule.JwtUnverified, category: 'auth', severity: 'high',
    title: 'JWT not properly verified',
    description: 'jwt.verify without an algorithms list lets the token choose its algorithm (alg confusion, "none"); ' +
      'allowing "none" or ignoring expiry accepts forged or stale tokens; jwt.decode does not check the signature ' +
      'at all, so its result must not be trusted for authentication.',
    cwe: ['CWE-347'], owasp: [A07],
    fix: 'Call jwt.verify(token, key, { algorithms: ["RS256"] }) (the one algorithm you issue), never allow ' +
      '"none", keep expiry checks, and use jwt.decode only for non-security display.',
    examples: [{ language: 'javascript', bad: 'jwt.verify(token, publicKey)', good: 'jwt.verify(token, publicKey, { algorithms: ["RS256"] })' }],
  },
  {
    id: JsRule.HardcodedSigningSecret, category: 'auth', severity: 'high',
    title: 'Token or session signing secret written into the code',
    description: 'jwt.sign/jwt.verify, express-session, cookie-session and cookie-parser sign with the secret they are ' +
      'given. A string in the source (or a fallback such as process.env.JWT_SECRET || "dev-secret") is known to everyone ' +
      'who can read the repository, who can then forge tokens and sessions for any user.',
    cwe: ['CWE-798', 'CWE-321'], owasp: [A07],
    fix: 'Read the secret from the environment or a secret manager and fail at start-up when it is missing; never ' +
      'fall back to a fixed string. Rotate the exposed secret: every token signed with it can be forged.',
    examples: [{ language: 'javascript', bad: 'jwt.sign(payload, "<secret>")', good: 'jwt.sign(payload, process.env.JWT_SECRET)' }],
  },
  {
    id: JsRule.MassAssignment, category: 'auth', severity: 'medium',
    title: 'Whole request body written to a database record',
    description: 'Passing req.body as a whole to create, update or save (Mongoose, Sequelize, Prisma data, TypeORM, ' +
      'Object.assign onto a record) stores every field the client sends, including ones it must not choose: role, ' +
      'isAdmin, ownerId, balance, emailVerified (mass assignment).',
    cwe: ['CWE-915'], owasp: [A01],
    fix: 'Copy only the fields the client may set (const { name, email } = req.body), or validate the body with a ' +
      'schema that drops unknown keys before writing it.',
    examples: [{ language: 'javascript', bad: 'await User.create(req.body)', good: 'const { name, email } = req.body;\nawait User.create({ name, email })' }],
  },
  {
    id: JsRule.InsecureCookie, category: 'config', severity: 'medium',
    title: 'Session or auth cookie without secure/httpOnly',
    description: 'A session cookie without httpOnly can be read by any injected script; without secure it is sent ' +
      'over plain HTTP where it can be sniffed.',
    cwe: ['CWE-614', 'CWE-1004'], owasp: [A05],
    fix: 'Set secure: true and httpOnly: true (and sameSite) on session and authentication cookies.',
    examples: [{ language: 'javascript', bad: 'res.cookie("session", id)', good: 'res.cookie("session", id, { secure: true, httpOnly: true, sameSite: "lax" })' }],
  },
  {
    id: JsRule.CorsCredentials, category: 'config', severity: 'high',
    title: 'CORS allows any origin with credentials',
    description: 'Allowing every origin (or reflecting the request\'s Origin) while allowing credentials lets any ' +
      'website make authenticated requests as the visitor and read the responses.',
    cwe: ['CWE-942'], owasp: [A05],
    fix: 'List the allowed origins explicitly (origin: ["https://app.example.com"]) when credentials are enabled.',
    examples: [{ language: 'javascript', bad: 'app.use(cors({ origin: true, credentials: true }))', good: 'app.use(cors({ origin: ["https://app.example.com"], credentials: true }))' }],
  },
];
