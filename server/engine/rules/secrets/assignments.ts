/**
 * Generic credentials: a setting named like a password, secret, token or API key given a literal value,
 * in any language (`=`, `:`, `:=`, `=>`, YAML, JSON, .env, INI, XML elements). The name decides what kind
 * of value to expect; the value must look like a real credential, not a label, a reference or a dummy.
 * A few providers whose keys have no recognisable shape (AWS secrets, Twilio, Heroku, Datadog) are
 * recognised here by the name of the setting.
 */
import type { Language } from '../../types.js';
import type { Candidate } from './structured.js';
import { charClasses, entropy, isContentHash, isDummyPassword, isPlaceholder, isWordLike } from './values.js';

/** A literal assigned to a secret-looking name. */
export interface Assignment extends Candidate {
  /** The setting's name as written, e.g. `dbPassword`. */
  readonly name: string;
  /** The literal including quotes (and string prefix), when the value was quoted. */
  readonly literal?: { readonly start: number; readonly end: number };
}

/** Languages where an unquoted value after `=`/`:` is a literal rather than an expression. */
const UNQUOTED: ReadonlySet<Language> = new Set<Language>([
  'yaml', 'github-actions', 'gitlab-ci', 'dotenv', 'ini', 'properties', 'toml', 'shell', 'dockerfile', 'plaintext', 'markdown',
]);

const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9_.$-]/.test(String.fromCharCode(c))) IDENT[c] = 1;

// Qualifiers that make a bare "key" a secret key.
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'secret', 'private', 'app', 'signing', 'encryption', 'master', 'auth', 'client', 'license',
  'account', 'service', 'admin', 'consumer', 'shared', 'session', 'webhook', 'deploy', 'storage', 'subscription',
  'hmac', 'jwt', 'aes', 'crypt', 'cipher', 'sign', 'secure', 'root', 'write', 'read', 'ingest', 'integration',
  'nonce', 'in', // WordPress NONCE_KEY, LOGGED_IN_KEY
]);
// Names that hold something about a secret rather than the secret itself.
const NOT_SECRET_WORDS = new Set([
  'id', 'ids', 'type', 'types', 'name', 'names', 'url', 'uri', 'urls', 'path', 'paths', 'file', 'filename', 'dir', 'length',
  'len', 'size', 'count', 'field', 'fields', 'label', 'prefix', 'suffix', 'header', 'endpoint', 'expiry', 'expires',
  'expiration', 'timeout', 'ttl', 'hash', 'hashed', 'digest', 'hint', 'policy', 'regex', 'pattern', 'format', 'mode',
  'env', 'var', 'placeholder', 'template', 'message', 'msg', 'error', 'text', 'title', 'description', 'public',
  'publishable', 'pub', 'site', 'max', 'min', 'limit', 'rotation', 'version', 'algorithm', 'alg', 'kind', 'location',
  'ref', 'reference', 'arn', 'source', 'input', 'prompt', 'selector', 'class', 'style', 'icon', 'key_id', 'usage', 'index',
  'param', 'params', 'query', 'column', 'table', 'schema', 'store', 'manager', 'provider', 'service_name', 'event',
  'strength', 'reset', 'confirm', 'confirmation', 'old', 'new', 'validation', 'rules', 'required', 'enabled', 'visible',
  'show', 'hide', 'is', 'has', 'use', 'should', 'can', 'allow', 'forgot', 'mask', 'masked', 'salt', 'rounds', 'cost',
  'length', 'policy', 'sha', 'md5', 'checksum', 'fingerprint', 'thumbprint', 'integrity', 'csrf', 'xsrf',
  // Pagination and idempotency tokens (`NextToken`, `nextPageToken`, `continuationToken`) are cursors, not credentials,
  // and so are concurrency tokens (`LockToken`, `ChangeToken`).
  'next', 'page', 'continuation', 'pagination', 'cursor', 'idempotency', 'change', 'lock', 'output',
]);

/** Split an identifier into lower-case words: `dbPassword` → db, password; `API_KEY` → api, key. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

type Kind = 'password' | 'secret';

/** What kind of value a name expects, or undefined when it does not name a credential. */
export function kindOfName(name: string): Kind | undefined {
  const w = words(name);
  const last = w[w.length - 1];
  if (last === undefined || w.some((x) => NOT_SECRET_WORDS.has(x))) return undefined;
  switch (last) {
    case 'password': case 'passwd': case 'pwd': case 'passphrase': case 'passcode':
      return 'password';
    case 'pass':
      return w.length === 1 || /^(?:db|smtp|mail|user|admin|root|redis|mysql|pg|ftp|ldap|proxy|sql)$/.test(w[w.length - 2]!) ? 'password' : undefined;
    case 'secret': case 'secrets': case 'token': case 'apikey': case 'credential': case 'credentials': case 'authorization':
    case 'auth': case 'bearer': case 'accesskey': case 'secretkey': case 'privatekey':
      return 'secret';
    case 'key':
      return w.length >= 2 && KEY_QUALIFIERS.has(w[w.length - 2]!) ? 'secret' : undefined;
    case 'base': // Rails secret_key_base
      return w.length >= 3 && w[w.length - 2] === 'key' && w[w.length - 3] === 'secret' ? 'secret' : undefined;
    default:
      // Run-together names: PGPASSWORD, dbpassword, authtoken, clientsecret.
      if (/(?:password|passwd)$/.test(last)) return 'password';
      if (/(?:secret|token|apikey|accesskey|secretkey|privatekey)$/.test(last) && last.length > 6) return 'secret';
      return undefined;
  }
}

const NAME_ENDINGS = ['password', 'passwd', 'pwd', 'secret', 'token', 'authorization', 'key', 'auth', 'pass', 'credentials',
  'secrets', 'passphrase', 'passcode', 'credential', 'bearer', 'base'];
// Last two letters (lower-cased) of every credential-name ending: a 16 KiB table that stays in cache.
const ENDING_PAIRS = new Uint8Array(1 << 14);
for (const w of NAME_ENDINGS) ENDING_PAIRS[(w.charCodeAt(w.length - 2) << 7) | w.charCodeAt(w.length - 1)] = 1;

const KIND_CACHE = new Map<string, Kind | null>();

/** `kindOfName`, memoised: the same names recur throughout a file and a project. */
function cachedKind(name: string): Kind | undefined {
  let kind = KIND_CACHE.get(name);
  if (kind === undefined) {
    if (KIND_CACHE.size > 4096) KIND_CACHE.clear();
    kind = kindOfName(name) ?? null;
    KIND_CACHE.set(name, kind);
  }
  return kind ?? undefined;
}

/** Whether a name's last characters could end a credential name; the hot loop's cheap filter. */
export function mayEndName(text: string, end: number): boolean {
  const last = text.charCodeAt(end - 1) | 0x20;
  const before = text.charCodeAt(end - 2) | 0x20;
  if (last >= 128 || before >= 128 || ENDING_PAIRS[(before << 7) | last] === 0) return false;
  switch (last) {
    case 100: return endsWithCI(text, end, 'password') || endsWithCI(text, end, 'passwd') || endsWithCI(text, end, 'pwd');
    case 116: return endsWithCI(text, end, 'secret');
    case 110: return endsWithCI(text, end, 'token') || endsWithCI(text, end, 'authorization');
    case 121: return endsWithCI(text, end, 'key');
    case 104: return endsWithCI(text, end, 'auth');
    case 115: return endsWithCI(text, end, 'pass') || endsWithCI(text, end, 'credentials') || endsWithCI(text, end, 'secrets');
    case 101: return endsWithCI(text, end, 'passphrase') || endsWithCI(text, end, 'passcode') || endsWithCI(text, end, 'keybase') || endsWithCI(text, end, 'key_base');
    case 108: return endsWithCI(text, end, 'credential');
    case 114: return endsWithCI(text, end, 'bearer');
    default: return false;
  }
}

function endsWithCI(text: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = text.charCodeAt(start + i);
    if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== word.charCodeAt(i)) return false; // lower-case letters only
  }
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Languages with `name: Type = value` declarations. */
const TYPED: ReadonlySet<Language> = new Set<Language>(['typescript', 'kotlin', 'swift', 'rust', 'python', 'go']);
// One type (`string`, `String?`, `&'static str`, `Map<K, V>`, `str[]`) or a union of them, then `=`.
const TYPE_THEN_ASSIGN =
  /[ \t]*&?(?:'[a-z]+[ \t]+)?[A-Za-z_][\w.:]*(?:<[^=;\n]{0,60}>)?(?:\[\])?\??(?:[ \t]*\|[ \t]*[A-Za-z_][\w.]*(?:<[^=;\n]{0,40}>)?(?:\[\])?)*[ \t]*=(?![=>])/y;

/** Position after `Type =` when a type annotation follows, else undefined. */
function afterTypeAnnotation(text: string, p: number): number | undefined {
  TYPE_THEN_ASSIGN.lastIndex = p;
  return TYPE_THEN_ASSIGN.exec(text) ? TYPE_THEN_ASSIGN.lastIndex : undefined;
}

/**
 * Read an assignment whose name ends at `nameEnd`; returns a candidate when its value is a credential.
 * `language` decides whether unquoted values count; `testFile` relaxes dummy passwords.
 */
export function assignmentAt(text: string, nameEnd: number, language: Language, testFile: boolean): Assignment | undefined {
  let s = nameEnd;
  const floor = Math.max(0, nameEnd - 128);
  while (s > floor) {
    const c = text.charCodeAt(s - 1);
    if (c >= 128 || IDENT[c] === 0) break;
    s--;
  }
  while (s < nameEnd && (text[s] === '.' || text[s] === '-' || text[s] === '$')) s++; // `--password`, `$token`
  if (!cachedKind(text.slice(s, nameEnd))) return undefined;
  if (text[nameEnd] === ' ' && nameEnd - s === 6 && /^[Bb]earer$/.test(text.slice(s, nameEnd))) return bearerAt(text, nameEnd + 1, language, testFile);
  let p = nameEnd;
  const before = text[s - 1];
  const xml = before === '<' && text[p] === '>';
  if ((before === '"' || before === "'") && text[p] === before) p++; // a quoted key: "password": …
  if (text[p] === ']') p++;
  while (isSpace(text.charCodeAt(p))) p++;
  if (xml) p = nameEnd + 1;
  else {
    const op = text[p];
    if (op === '=') {
      const next = text[p + 1];
      if (next === '=' || next === '~') return undefined; // comparisons
      p += next === '>' ? 2 : 1;
    } else if (op === ':') {
      if (text[p + 1] === ':') return undefined;
      p += text[p + 1] === '=' ? 2 : 1;
      if (TYPED.has(language)) p = afterTypeAnnotation(text, p) ?? p; // `apiKey: string = "…"`
    } else if ((op === '?' || op === '|') && text[p + 1] === '=') p += 2;
    else if (language === 'go' && /[A-Za-z_]/.test(op ?? '')) {
      const after = afterTypeAnnotation(text, p); // `var password string = "…"`
      if (after === undefined) return undefined;
      p = after;
    }
    else if (op === ',' && (before === '"' || before === "'") && /define\s*\(\s*$/i.test(text.slice(Math.max(0, s - 20), s - 1))) p++; // PHP define('DB_PASSWORD', '…')
    else if ((op === "'" || op === '"') && (language === 'sql' || /\b(?:WITH|LOGIN|ENCRYPTED|(?:USER|ROLE)\s+\S+)\s+$/i.test(text.slice(Math.max(0, s - 40), s)))) { /* SQL: WITH PASSWORD '…' */ }
    else return undefined;
    while (isSpace(text.charCodeAt(p))) p++;
  }
  return valueAt(text, p, s, nameEnd, language, testFile, xml);
}

const TOKEN68 = new Uint8Array(128); // RFC 7235 token68 characters
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9._~+/=-]/.test(String.fromCharCode(c))) TOKEN68[c] = 1;

/** `Bearer <token>` anywhere (curl -H, docs, logs pasted into prompts): the token after the scheme. */
function bearerAt(text: string, start: number, language: Language, testFile: boolean): Assignment | undefined {
  let end = start;
  const limit = Math.min(text.length, start + 4096);
  while (end < limit && text.charCodeAt(end) < 128 && TOKEN68[text.charCodeAt(end)] === 1) end++;
  if (end - start < 20) return undefined;
  const value = text.slice(start, end);
  const rule = credentialRule('authorization', value, 'secret', language, testFile, () => '');
  return rule ? { rule, start, end, secret: value, name: 'Authorization', priority: 1 } : undefined;
}

function valueAt(
  text: string, p: number, nameStart: number, nameEnd: number, language: Language, testFile: boolean, xml: boolean,
): Assignment | undefined {
  let litStart = p;
  let q = text[p];
  if (q !== undefined && /[rRbBuUfF]/.test(q) && /["']/.test(text[p + 1] ?? '')) {
    if (q === 'f' || q === 'F') return undefined; // f-strings interpolate
    q = text[++p];
  }
  let start: number;
  let end: number;
  let literal: { start: number; end: number } | undefined;
  if (!xml && (q === '"' || q === "'" || q === '`')) {
    start = p + 1;
    end = start;
    const limit = Math.min(text.length, start + 1024);
    while (end < limit) {
      const c = text[end];
      if (c === q) break;
      if (c === '\\') end++;
      else if (c === '\n' && q !== '`') return undefined;
      end++;
    }
    if (text[end] !== q) return undefined;
    literal = { start: litStart, end: end + 1 };
    if (q === '`' && text.includes('${', start) && text.slice(start, end).includes('${')) return undefined;
  } else if (xml || UNQUOTED.has(language)) {
    start = p;
    end = p;
    const limit = Math.min(text.length, start + 1024);
    while (end < limit) {
      const c = text[end];
      if (c === '\n' || c === '\r' || (xml && c === '<')) break;
      if (c === '#' && (end === start || isSpace(text.charCodeAt(end - 1)))) break;
      end++;
    }
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    if (/^[|>&*!{[(]/.test(text[start] ?? '')) return undefined; // YAML block scalars, anchors, tags, structures
    // Calls, subscripts, C pointer members and regexes in code samples or unknown languages (`typing.Optional[…]`, `it->second`, `qr/[…]/`).
    if (/[()[\]{}]|->|^qr\//.test(text.slice(start, end))) return undefined;
    if (end > start && (text[end - 1] === ',' || text[end - 1] === ';') && !xml) end--;
  } else return undefined;
  if (end - start < 6) return undefined; // no credential is shorter
  const name = text.slice(nameStart, nameEnd);
  const kind = cachedKind(name)!;
  let value = text.slice(start, end);
  // Header values: the credential is what follows the scheme.
  const scheme = /^(?:Bearer|Basic|Token|token|Bot)\s+/.exec(value);
  if (scheme) {
    start += scheme[0].length;
    value = value.slice(scheme[0].length);
    literal = undefined;
  }
  const rule = credentialRule(name, value, kind, language, testFile, () => text.slice(Math.max(0, start - 300), start));
  if (!rule) return undefined;
  return {
    rule, start, end, secret: value, name, priority: rule === 'secret.generic-assignment' ? 1 : 2,
    ...(literal ? { literal } : {}),
  };
}

const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rule a name/value pair belongs to, or undefined when the value is not a credential. */
function credentialRule(
  name: string, value: string, kind: Kind, language: Language, testFile: boolean, before: () => string,
): string | undefined {
  if (value.length < (kind === 'password' ? 6 : 12)) return undefined; // cheap first: every rule below needs more
  if (isPlaceholder(value) || isContentHash(value)) return undefined;
  if (/^arn:aws[a-z-]*:/.test(value)) return undefined; // an AWS resource name (`arn:aws:kms:…:key/…`), not a key
  if (/\barn:aws[a-z-]*:[^\s"'`]*$/.test(before())) return undefined; // a name inside one (`…:secret:MySecret-a1b2c3`)
  // Checksummed token formats: one that fails its checksum (it reached here unclaimed) is made up.
  if (/^(?:gh[pousr]|npm)_[A-Za-z0-9]{36}$/.test(value)) return undefined;
  // Likewise a JWT the JWT rule judged a demo (a real one is claimed by that rule first).
  if (/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$/.test(value)) return undefined;
  const w = words(name);
  const has = (x: string): boolean => w.includes(x);
  if ((has('aws') || (has('secret') && has('access'))) && /^[A-Za-z0-9/+]{40}$/.test(value) && charClasses(value) >= 3) {
    return 'secret.aws-secret-access-key';
  }
  if (has('twilio') && HEX32.test(value) && entropy(value) >= 3) return 'secret.twilio-auth-token';
  if (has('heroku') && (UUID.test(value) || /^HRKU-/.test(value))) return 'secret.heroku-api-key';
  if (/^(?:[0-9a-f]{32}|[0-9a-f]{40})$/.test(value) && entropy(value) >= 3 && (has('datadog') || has('dd') || /datadog/i.test(before()))) {
    return 'secret.datadog-api-key'; // also under a `datadog:` section or block
  }
  if (isWordLike(value)) return undefined;
  const prose = language === 'markdown' || language === 'plaintext';
  if (kind === 'password') {
    if (value.length < 6) return undefined;
    if (testFile && (isDummyPassword(value) || entropy(value) < 3)) return undefined;
    if (/^(?:true|false|null|none|nil|undefined|required|optional|string|number|int|bool)$/i.test(value)) return undefined;
    if (prose && charClasses(value) < 3) return undefined;
    return 'secret.generic-assignment';
  }
  if (value.length < 12) return undefined;
  if (UUID.test(value) ? false : charClasses(value) < 2) return undefined;
  const floor = Math.min(prose ? 3.5 : 3, Math.log2(value.length) - 0.7);
  if (entropy(value) < floor) return undefined;
  if (testFile && entropy(value) < 3.5) return undefined;
  return 'secret.generic-assignment';
}

function isByteSpace(b: number | undefined): boolean {
  return b === 32 || b === 9;
}

function isQuoteByte(b: number | undefined): boolean {
  return b === 34 || b === 39 || b === 96;
}

/** A string literal starts at `p`: a quote, or a Python-style prefix letter and a quote. */
function literalStartsAt(bytes: Uint8Array, p: number): boolean {
  const b = bytes[p];
  if (isQuoteByte(b)) return true;
  return b !== undefined && 'rRbBuUfF'.includes(String.fromCharCode(b)) && isQuoteByte(bytes[p + 1]);
}

/**
 * The cheap part of `assignmentAt`, on a file's raw bytes: false when the name ending at `nameEnd` is no
 * credential name, or no literal value can follow it. Only ever more permissive than `assignmentAt` (the
 * shapes it cannot judge cheaply — XML elements, `Bearer`, Go declarations, PHP `define`, SQL — pass), so
 * a file it rules out entirely needs no decoding for this family.
 */
export function mayBeAssignmentBytes(bytes: Uint8Array, nameEnd: number, language: Language): boolean {
  let s = nameEnd;
  const floor = Math.max(0, nameEnd - 128);
  while (s > floor && bytes[s - 1]! < 128 && IDENT[bytes[s - 1]!] === 1) s--;
  while (s < nameEnd && (bytes[s] === 46 || bytes[s] === 45 || bytes[s] === 36)) s++; // . - $
  if (!cachedKind(String.fromCharCode(...bytes.subarray(s, nameEnd)))) return false;
  let p = nameEnd;
  if (isQuoteByte(bytes[p])) p++;
  if (bytes[p] === 93) p++; // ]
  while (isByteSpace(bytes[p])) p++;
  const op = bytes[p];
  if (op === 61) { // =
    const next = bytes[p + 1];
    if (next === 61 || next === 126) return false;
    p += next === 62 ? 2 : 1;
  } else if (op === 58) { // :
    if (bytes[p + 1] === 58) return false;
    p += bytes[p + 1] === 61 ? 2 : 1;
    if (TYPED.has(language)) {
      // `name: Type = "…"`: a type annotation never crosses a line or a ';' (see TYPE_THEN_ASSIGN).
      for (let q = p, limit = Math.min(bytes.length, p + 256); q < limit; q++) {
        const b = bytes[q]!;
        if (b === 10 || b === 59) break;
        if (isQuoteByte(b) || (b === 61 && bytes[q + 1] !== 61 && bytes[q + 1] !== 62)) return true;
      }
    }
  } else if ((op === 63 || op === 124) && bytes[p + 1] === 61) p += 2; // ?= |=
  else return mayBeOtherShape(bytes, s, nameEnd, op, language);
  while (isByteSpace(bytes[p])) p++;
  return UNQUOTED.has(language) || literalStartsAt(bytes, p);
}

/**
 * The shapes `assignmentAt` reads without an assignment operator, loosely (they are judged in full when this
 * passes): an XML element `<password>…`, `Bearer <token>`, a Go declaration `password string = …`, PHP
 * `define('PASSWORD', …)` and SQL `… PASSWORD '…'`. Anything else after a credential-like name (`token]`,
 * `token()`, `token >= x`), the great majority of such names in code, is no assignment.
 */
function mayBeOtherShape(bytes: Uint8Array, nameStart: number, nameEnd: number, op: number | undefined, language: Language): boolean {
  const before = bytes[nameStart - 1];
  if (before === 60 && bytes[nameEnd] === 62) return true; // <name>
  if (bytes[nameEnd] === 32 && nameEnd - nameStart === 6 && (bytes[nameStart]! | 0x20) === 98 && String.fromCharCode(...bytes.subarray(nameStart + 1, nameEnd)) === 'earer') return true; // Bearer <token>
  if (op === undefined) return false;
  if (language === 'go' && ((op | 0x20) >= 97 && (op | 0x20) <= 122 || op === 95)) return true; // name Type = …
  if (op === 44 && isQuoteByte(before)) return true; // define('NAME', …)
  return op === 34 || op === 39; // WITH PASSWORD '…'
}
