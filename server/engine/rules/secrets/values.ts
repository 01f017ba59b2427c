/**
 * Judging candidate secret values: entropy, placeholders and dummies, word-like values, checksums.
 * Everything here is cheap and allocation-light because it runs on every candidate of every file.
 */

const COUNTS = new Int32Array(65536);

/** Shannon entropy of a string in bits per character. */
export function entropy(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  let bits = 0;
  for (let i = 0; i < n; i++) COUNTS[value.charCodeAt(i)]!++;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const k = COUNTS[c]!;
    if (k === 0) continue;
    const p = k / n;
    bits -= p * Math.log2(p);
    COUNTS[c] = 0;
  }
  return bits;
}

/** Number of distinct characters. */
function distinct(value: string): number {
  return new Set(value).size;
}

// Words that only appear in documentation, samples and templates, never inside a real credential.
const PLACEHOLDER_WORDS =
  /example|sample|placeholder|dummy|redacted|changeme|change[_-]me|replace[_-]?me|your[_-]|[_-]your|insert[_-]|xxxx|XXXX|\*\*\*|\.\.\.|…|<[^>]*>|\$\{|\{\{|%\(|%[sd]\b|\$[A-Z_]+\b|\$\(|process\.env|os\.environ|getenv|ENV\[|env\(|secrets\.|fake|mock|notreal|not[_-]a[_-]|todo|fixme|test[_-]?(?:key|token|secret|password)|lorem|foobar|^\$|^%|^@|^#\{/i;

// Credentials printed in RFCs and vendor documentation as examples; copied into code, they are still examples.
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', // AWS
  '2YotnFZFEjr1zCsicMWpAA', 'tGzv3JOkF0XG5Qx2TlKWIA', 'SplxlOBeZQQYbYS6WxSbIA', 'mF_9.B5f-4.1JqM', // RFC 6749
  '0685bd9184jfhq22', 'ad180jjd733klru7', 'kd94hf93k423kf44', 'dpf43f3p2l4k3l03', 'nnch734d00sl2jdk', // RFC 5849
  'hh5s93j4hdidpola', 'hdk48Djdsa', 'pfkkdhi9sl3r4s00', 'kllo9940pd9333jh', 'wIjqoS', 'vVbDKlzhXjgo', // RFC 5849, OAuth 1 docs
  'h480djs93hd8', '489dks293j39', 'adijq39jdlaska9asud', // RFC 6749/draft MAC token examples
  'Aladdin:open sesame', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==', // RFC 7617
]);

/** True for values that are templates, references or documentation placeholders rather than secrets. */
export function isPlaceholder(value: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (distinct(value) <= 3) return true; // aaaa, 0000, abab…
  if (/(.)\1{5,}/.test(value)) return true; // a long run of one character
  if (/0123456|123456789|abcdefgh|ABCDEFGH|qwerty/i.test(value)) return true;
  if (/^\{[\w.[\]'"]+\}$/.test(value)) return true; // a format field filled in later (`{self.token}`, `{token}`)
  return false;
}

// Passwords people put into tests, samples and tutorials.
const DUMMY_PASSWORDS = /^(?:pass(?:word|wd)?|secret|admin|root|test|guest|user|demo|letmein|qwerty|welcome|default|hunter|s3cr3t|p@ss(?:w0rd)?|passw0rd|pa\$\$w0rd|postgres|mysql|redis|rabbit|guest|toor|12345|1234|abc)[\d!@#$%^&*._-]*$/i;

/** True for passwords that are obviously test or tutorial dummies (`password123`, `admin`, `secret!`). */
export function isDummyPassword(value: string): boolean {
  return DUMMY_PASSWORDS.test(value);
}

/** True for values that read as names rather than secrets: identifiers, key paths, constants, labels, URLs, paths. */
export function isWordLike(value: string): boolean {
  if (/\s/.test(value)) return true; // labels and sentences ("Enter your password")
  if (/^[a-z]+(?:[_.:\-/][a-z]+)*$/.test(value)) return true; // snake, kebab, dotted, scoped names
  if (/^[A-Z][a-z]+(?:[_.\-]?[A-Z]?[a-z]+)*[.:!?]?$/.test(value)) return true; // "Password", "PasswordField"
  if (/^[a-z]+(?:[A-Z][a-z]+)+$/.test(value)) return true; // camelCase
  if (/^[A-Z]+(?:_[A-Z]+)*$/.test(value)) return true; // CONSTANT_NAME
  // Class and type names (`_RSAPrivateKey`, `OAuthClient`): letters in word-shaped humps, as in annotations.
  // A last hump may be `Id` (`AWSAccessKeyId`).
  if (/^_*(?:[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z]))+(?:_+(?:[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z])))*(?:Id|ID)?$/.test(value)) return true;
  // C-style names with single-letter parts (`_S_token_subexpr_begin`, `_M_token`).
  if (/^_*(?:[A-Z]|[A-Z]?[a-z]+)(?:_+(?:[A-Z]|[A-Z]?[a-z]+))+$/.test(value)) return true;
  // Member chains in code samples and docs (`jsTokens.matchToToken`, `settings.SECRET_API_TOKEN`): every part a name.
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) && value.split('.').every(isWordLike)) return true;
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return true; // URL or path
  if (/\.(?:json|pem|key|crt|txt|ya?ml|env|p12|pfx|jks|js|ts|py|html?)$/i.test(value)) return true; // file name
  return false;
}

/** True for content hashes that identify data rather than grant access (integrity strings, digests). */
export function isContentHash(value: string): boolean {
  return /^sha(?:1|256|384|512)[-:]/i.test(value) || /^(?:md5|sha1|sha256)=/i.test(value);
}

/** How many of lower case, upper case, digits and symbols a value uses. */
export function charClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

let CRC_TABLE: Int32Array | undefined;

/** CRC-32 (IEEE) of an ASCII string. */
export function crc32(text: string): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < text.length; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]!;
  return (crc ^ -1) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A number in base 62 (digits, upper, lower), left-padded with zeros to `width`. */
export function base62(n: number, width: number): string {
  let out = '';
  do {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub classic tokens and npm tokens end in six base-62 characters encoding the CRC-32 of the 30 random
 * characters before them; a real token always passes, a made-up one almost never does.
 */
export function hasValidGitHubChecksum(body: string): boolean {
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** True for paths of tests, fixtures, mocks and examples, where dummy credentials are expected. */
export function isTestPath(path: string): boolean {
  return /(?:^|\/)(?:tests?|__tests__|spec|specs|fixtures?|__fixtures__|mocks?|__mocks__|examples?|samples?|testdata|e2e)\/|[._-](?:test|spec|mock|fixture|example|sample)s?\.[a-z0-9]+$|(?:^|\/)test_[^/]*\.py$|_test\.go$|Tests?\.(?:java|kt|cs)$/i.test(path);
}
