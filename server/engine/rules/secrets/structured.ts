/**
 * Secrets with structure around them: credentials inside URLs (database/broker URLs, basic auth, Slack and
 * Discord webhooks, Sentry DSNs) and private key blocks (PEM, OpenSSH, PGP; also inside JSON strings).
 */
import { entropy, isDummyPassword, isPlaceholder } from './values.js';

/** A secret found by this module: the span that holds it and which rule it belongs to. */
export interface Candidate {
  readonly rule: string;
  readonly start: number;
  readonly end: number;
  readonly secret: string;
  /** Higher wins when two candidates overlap. */
  readonly priority: number;
  /** Human description added to the message (never the value). */
  readonly detail?: string;
}

const DATA_SCHEMES = new Set([
  'postgres', 'postgresql', 'mysql', 'mysqlx', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'amqp', 'amqps',
  'mssql', 'sqlserver', 'oracle', 'cockroachdb', 'clickhouse', 'couchdb', 'cassandra', 'neo4j', 'neo4j+s', 'bolt',
  'nats', 'kafka', 'mqtt', 'mqtts', 'memcached', 'smtp', 'smtps', 'imap', 'imaps', 'pop3', 'ldap', 'ldaps',
  'elasticsearch', 'influxdb', 'snowflake', 'db2', 'sqlite', 'vertica', 'stomp', 'rabbitmq',
]);
const WEB_SCHEMES = new Set(['http', 'https', 'ftp', 'ftps', 'sftp', 'ssh', 'git', 'git+https', 'git+ssh', 'svn', 'ws', 'wss', 'smb', 'webdav']);

// Characters that end a URL's userinfo before any '@' (path, query, quotes, brackets, whitespace).
const USERINFO_STOP = new Uint8Array(128);
for (const ch of ' \t\r\n/?#"\'`<>\\(){}[]') USERINFO_STOP[ch.charCodeAt(0)] = 1;
const SLACK_HOOK = /hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,16}\/[A-Za-z0-9_/-]{20,80}/y;
const DISCORD_HOOK = /(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/\d{15,20}\/[A-Za-z0-9_-]{60,100}/y;
const SENTRY_DSN = /([0-9a-f]{32})(?::[0-9a-f]{32})?@[A-Za-z0-9.-]{0,100}sentry[A-Za-z0-9.-]{0,100}(?::\d{1,5})?\/\d{1,20}/y;

/**
 * Inspect a URL whose `://` is at `sep`; `schemeStart` is where its scheme begins. Returns a candidate for
 * a credential inside it, if any.
 */
export function urlCredential(text: string, schemeStart: number, sep: number, testFile: boolean): Candidate | undefined {
  const scheme = text.slice(schemeStart, sep).toLowerCase();
  const authority = sep + 3;
  const web = WEB_SCHEMES.has(scheme);
  const data = !web && (DATA_SCHEMES.has(scheme) || scheme.startsWith('jdbc'));
  if (!web && !data) return undefined;
  if (web && (text.startsWith('hooks.', authority) || /^(?:ptb\.|canary\.)?discord/.test(text.slice(authority, authority + 14)))) {
    for (const [re, rule] of [[SLACK_HOOK, 'secret.slack-webhook'], [DISCORD_HOOK, 'secret.discord-webhook']] as const) {
      re.lastIndex = authority;
      const hook = re.exec(text);
      if (hook && !isPlaceholder(hook[0].slice(hook[0].lastIndexOf('/') + 1))) {
        const end = authority + hook[0].length;
        return { rule, start: schemeStart, end, secret: text.slice(schemeStart, end), priority: 3 };
      }
    }
  }
  // Userinfo: up to the first '@' before the path; bounded so a long line cannot make this quadratic.
  let at = -1;
  let colon = -1;
  const limit = Math.min(text.length, authority + 512);
  for (let i = authority; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) { at = i; break; } // '@'
    if (c === 58) { if (colon < 0) colon = i; } // ':'
    else if (c < 128 && USERINFO_STOP[c] === 1) break;
  }
  if (at < 0) return undefined;
  if (web) {
    SENTRY_DSN.lastIndex = authority;
    const dsn = SENTRY_DSN.exec(text);
    if (dsn) {
      const key = dsn[1]!;
      return isPlaceholder(key) ? undefined : { rule: 'secret.sentry-dsn', start: authority, end: authority + 32, secret: key, priority: 3 };
    }
  }
  if (colon < 0 || colon + 1 >= at) return undefined;
  const user = text.slice(authority, colon);
  const password = text.slice(colon + 1, at);
  if (!isRealUrlPassword(user, password, testFile)) return undefined;
  return {
    rule: data ? 'secret.database-url-password' : 'secret.url-basic-auth',
    start: colon + 1,
    end: at,
    secret: password,
    priority: 2,
    detail: `${scheme}://`,
  };
}

function isRealUrlPassword(user: string, encoded: string, testFile: boolean): boolean {
  let password = encoded;
  try {
    password = decodeURIComponent(encoded);
  } catch {
    // not valid percent-encoding: judge it as written
  }
  if (password.length < 6 || password === user) return false;
  if (testFile && entropy(password) < 3) return false; // fixtures use readable dummies
  if (/^[:*x.]+$/i.test(password) || /^\d+$/.test(password)) return false; // masks and ports (host:8080@…)
  if (isPlaceholder(password) || isDummyPassword(password)) return false;
  if (/^(?:user(?:name)?|pass(?:word)?|pwd|secret|token|key|changeme)$/i.test(password)) return false;
  if (/^(?:user(?:name)?|login)$/i.test(user) && /^pass/i.test(password)) return false;
  return true;
}

const KEY_LABEL = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |SSH2 ENCRYPTED |PGP |ED25519 )?PRIVATE KEY(?: BLOCK)?)-----/y;

/**
 * Collect private key blocks (PEM, OpenSSH, PGP; also `\n`-escaped inside JSON strings). A key under
 * `"private_key"` in a file that declares `"service_account"` is reported as a Google service-account key.
 */
export function privateKeys(text: string, out: Candidate[]): void {
  let from = 0;
  // Cached positions of the next END and BEGIN markers: each is searched for once per occurrence, and a
  // body never extends past the next BEGIN, so a text full of BEGINs without ENDs stays linear.
  let nextEnd = -2;
  let nextBegin = text.indexOf('-----BEGIN ');
  for (;;) {
    const begin = nextBegin >= from ? nextBegin : text.indexOf('-----BEGIN ', from);
    if (begin < 0) return;
    from = begin + 11;
    nextBegin = text.indexOf('-----BEGIN ', from);
    KEY_LABEL.lastIndex = begin;
    const label = KEY_LABEL.exec(text);
    if (!label) continue;
    const bodyStart = begin + label[0].length;
    if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
    const limit = Math.min(nextBegin >= 0 ? nextBegin : text.length, bodyStart + 65536);
    const endMarker = nextEnd >= 0 && nextEnd < limit ? nextEnd : -1;
    const bodyEnd = endMarker >= 0 ? endMarker : Math.min(limit, bodyStart + 4096);
    let end = bodyEnd;
    if (endMarker === bodyEnd) {
      const close = text.indexOf('-----', endMarker + 9);
      end = close >= 0 && close - endMarker < 80 ? close + 5 : endMarker + 9;
    }
    // Real key bodies are long base64 runs; docs show "..." or "<key>" instead.
    const body = text.slice(bodyStart, bodyEnd).replace(/\\[nr]/g, '\n').replace(/^[A-Za-z-]+: .*$/gm, '');
    const base64 = body.replace(/[^A-Za-z0-9+/=]/g, '');
    if (base64.length < 64 || /\.\.\.|…|<[^>]*>|xxxx|XXXX/.test(body) || entropy(base64) < 4) continue;
    // A key body is base64 and line breaks (plus string quoting when embedded in code); a marker followed by
    // anything else (code that mentions the marker, prose) is not a key.
    const visible = body.replace(/\s|["'`+,\\]/g, '').length;
    if (base64.length < visible * 0.95) continue;
    if (endMarker < 0 && !/^\s*(?:[A-Za-z0-9+/=]{40,}\s*\n){2}/.test(body)) continue;
    const serviceAccount = /"private_key"\s*:\s*"$/.test(text.slice(Math.max(0, begin - 40), begin)) && text.includes('"service_account"');
    out.push({
      rule: serviceAccount ? 'secret.google-service-account' : 'secret.private-key',
      start: begin,
      end,
      secret: text.slice(begin, end),
      priority: serviceAccount ? 4 : 3,
      detail: label[1]!,
    });
    from = end;
  }
}
