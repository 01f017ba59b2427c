/**
 * Where secrets may start: one trigger automaton (../../automaton.ts) finds, in a single pass, every place that
 * needs a precise look — a provider token's prefix at a token start, a credential-like name before an
 * assignment operator, a `scheme://`, the tells of prefix-less formats (`:AA`, `-us1`, `.atlasv1.`, `Q~`,
 * `-----BEGIN `). `handleHit` then applies the precise check there.
 *
 * The same automaton runs over a file's raw bytes (`screenBytes`): hits are judged in decoded windows around
 * them, so a file with nothing to report is never decoded as a whole.
 */
import { clearHits, newHits, TriggerAutomaton, type Hits, type TriggerPattern } from '../../automaton.js';
import type { Language } from '../../types.js';
import { assignmentAt, mayBeAssignmentBytes, mayEndName } from './assignments.js';
import { privateKeys, urlCredential, type Candidate } from './structured.js';
import { AZURE_AD, DISCORD, MAILCHIMP, MATCHERS, TELEGRAM, TERRAFORM, tryMatch, type TokenMatcher } from './tokens.js';
import { isTestPath } from './values.js';

const WORD = new Uint8Array(65536);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9]/.test(String.fromCharCode(c))) WORD[c] = 1;

const SCHEME = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9+.-]/.test(String.fromCharCode(c))) SCHEME[c] = 1;

// Tags after the token matchers' (which are their indexes in MATCHERS).
const NAME = MATCHERS.length;
const URL = NAME + 1;
const TELEGRAM_TELL = NAME + 2;
const MAILCHIMP_TELL = NAME + 3;
const TERRAFORM_TELL = NAME + 4;
const DISCORD_TELL = NAME + 5;
const AZURE_TELL = NAME + 6;
const PRIVATE_KEY = NAME + 7;

// A token starts a run of token characters: not after a letter, digit, '_', '-' or '.' (which also keeps
// repeated prefixes such as `eyJ-eyJ-…` from re-scanning one run, so long lines stay linear).
const TOKEN_START = '[^A-Za-z0-9_.-]';

function patterns(): TriggerPattern[] {
  // Each token pattern is its literal prefix plus two more characters of its body (three sets with the
  // token-start one): rare enough that the precise regex runs seldom, short enough to keep the automaton small.
  const tokens = MATCHERS.map((m, tag) => ({ source: `${TOKEN_START}${m.re.source}`, tag, maxSets: 3, maxLength: 32 }));
  return [
    ...tokens,
    // A name that may end a credential setting, then what may follow a name in an assignment (see mayEndName).
    {
      source: `(?:password|passwd|pwd|secrets?|token|authorization|key|auth|pass|credentials?|passphrase|passcode|bearer|key_?base)[=:"'\\]>?| \\t]`,
      tag: NAME,
      ignoreCase: true,
    },
    { source: '[A-Za-z0-9]:\\/\\/', tag: URL },
    { source: '\\d:AA', tag: TELEGRAM_TELL },
    { source: '[0-9a-f]-us\\d', tag: MAILCHIMP_TELL },
    { source: '\\.atlasv1\\.', tag: TERRAFORM_TELL },
    { source: '[A-Za-z0-9]\\.[A-Za-z0-9_-]{6}\\.', tag: DISCORD_TELL },
    { source: '\\dQ~', tag: AZURE_TELL },
    { source: '-----BEGIN ', tag: PRIVATE_KEY },
  ];
}

/** The secrets family's trigger automaton (built once per thread, on first use: about 100 ms). */
let built: TriggerAutomaton | undefined;
export function secretTriggers(): TriggerAutomaton {
  return (built ??= new TriggerAutomaton(patterns()));
}

/** What `handleHit` needs besides the hit: the text (or a window of it) and where candidates go. */
export interface HitScope {
  readonly text: string;
  readonly language: Language;
  readonly testFile: boolean;
  /**
   * Judging a window of a file rather than the whole text: checks that read the whole text (a provider's
   * name elsewhere in the file) are skipped, so a token's shape alone makes it a candidate.
   */
  readonly window: boolean;
  readonly out: Candidate[];
  /** Word end of the last assignment tried (several name patterns can end at one place). */
  lastNameEnd: number;
  /** Whether private keys were collected already (one pass covers the whole text). */
  privateKeysDone: boolean;
}

function fromMatcher(scope: HitScope, matcher: TokenMatcher, at: number): void {
  const text = scope.text;
  if (matcher.notInBase64 && at > 0 && (text[at - 1] === '/' || text[at - 1] === '+')) return;
  let token: string | undefined;
  if (scope.window && matcher.verify && matcher.verify.length > 1) {
    matcher.re.lastIndex = at;
    token = matcher.re.exec(text)?.[0];
  } else token = tryMatch(matcher, text, at);
  if (token === undefined) return;
  const skip = matcher.skip ?? 0;
  scope.out.push({ rule: matcher.rule, start: at + skip, end: at + token.length, secret: token.slice(skip), priority: 3 });
}

function isWord(text: string, i: number): boolean {
  return i >= 0 && WORD[text.charCodeAt(i)] === 1;
}

/**
 * Apply the precise check for one hit: `tag` ended just before `end` after `length` characters. Candidates
 * are appended to `scope.out`.
 */
export function handleHit(scope: HitScope, tag: number, end: number, length: number): void {
  const text = scope.text;
  if (tag < NAME) {
    fromMatcher(scope, MATCHERS[tag]!, end - length + 1); // the pattern's first character is the one before the token
    return;
  }
  switch (tag) {
    case NAME: {
      const e = end - 1;
      if (e === scope.lastNameEnd || !mayEndName(text, e)) return;
      scope.lastNameEnd = e;
      const assignment = assignmentAt(text, e, scope.language, scope.testFile);
      if (assignment) scope.out.push(assignment);
      return;
    }
    case URL: {
      const sep = end - 3;
      // The scheme: the word before `://`, extended over scheme characters (`git+ssh`, `mongodb+srv`).
      let s = sep;
      while (isWord(text, s - 1)) s--;
      let from = s;
      while (from > 0 && s - from < 24 && SCHEME[text.charCodeAt(from - 1)] === 1) from--;
      const url = urlCredential(text, from, sep, scope.testFile);
      if (url) scope.out.push(url);
      return;
    }
    case TELEGRAM_TELL: {
      // The bot id's digits may end a longer word (`…/bot123456789:AA…` in API URLs).
      const e = end - 3;
      let d = e;
      while (d > 0 && e - d < 11 && text.charCodeAt(d - 1) >= 48 && text.charCodeAt(d - 1) <= 57) d--;
      const glued = isWord(text, d - 1) && !(d >= 3 && !isWord(text, d - 4) && /^bot$/i.test(text.slice(d - 3, d)));
      if (e - d >= 8 && e - d <= 10 && !glued) fromMatcher(scope, TELEGRAM, d);
      return;
    }
    case MAILCHIMP_TELL: {
      const s = end - 4 - 32; // a 32-character word, then `-us<n>`
      if (s >= 0 && !isWord(text, s - 1)) fromMatcher(scope, MAILCHIMP, s);
      return;
    }
    case TERRAFORM_TELL: {
      const s = end - 9 - 14; // a 14-character word, then `.atlasv1.`
      if (s >= 0 && !isWord(text, s - 1)) fromMatcher(scope, TERRAFORM, s);
      return;
    }
    case DISCORD_TELL: {
      // A word of 24–28 characters starting with M, N or O (the bot id in base64), then `.`.
      const e = end - 8;
      let s = e;
      while (e - s <= 28 && isWord(text, s - 1)) s--;
      const c0 = text.charCodeAt(s);
      if (e - s >= 24 && e - s <= 28 && (c0 === 77 || c0 === 78 || c0 === 79)) fromMatcher(scope, DISCORD, s);
      return;
    }
    case AZURE_TELL:
      if (end >= 6) fromMatcher(scope, AZURE_AD, end - 6);
      return;
    case PRIVATE_KEY:
      if (!scope.privateKeysDone) {
        scope.privateKeysDone = true;
        privateKeys(text, scope.out);
      }
      return;
    default:
      throw new TypeError(`unknown secret trigger ${tag}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Screening raw bytes.

// Bytes that end a token in every token format (no format's alphabet holds them).
const TOKEN_END = new Uint8Array(256);
for (const ch of ' \t\r\n"\'`,;(){}[]<>|\\') TOKEN_END[ch.charCodeAt(0)] = 1;
/** No provider token is shorter (LTAI + 12 characters); tests hold every format to it. */
export const MIN_TOKEN_LENGTH = 16;

// Bytes that end a URL's userinfo before its '@' (as in structured.ts), and how far to look for the '@':
// urlCredential reads 512 characters, which UTF-8 may spread over up to 3 bytes each.
const USERINFO_END = new Uint8Array(256);
for (const ch of ' \t\r\n/?#"\'`<>\\(){}[]') USERINFO_END[ch.charCodeAt(0)] = 1;
const USERINFO_BYTES = 512 * 3;

/**
 * Characters around a hit that its precise check may read: an assignment's name (128) and the text before its
 * value (300) behind; its value (1,024, or 4,096 after `Bearer`) ahead; a token up to a JWT's 6,200 or so.
 * Windows are cut in bytes, at 3 bytes per character (UTF-8's most for one UTF-16 unit).
 */
const BACK_BYTES = 512 * 3;
const AHEAD_BYTES = 1536 * 3;
const AHEAD_TOKEN_BYTES = 6400 * 3;
const AHEAD_BEARER_BYTES = 4200 * 3;
/** Files up to this size are decoded whole when anything needs a look; windows of larger ones extend this far. */
const SMALL_FILE_BYTES = 8 * 1024;

const utf8 = new TextDecoder();
/** Reused by every screen (one thread screens one file at a time). */
const screenHits = newHits();

function isByteWord(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
}

/** Cheap checks on the bytes alone that rule a hit out before any decoding. */
function ruledOutByBytes(bytes: Uint8Array, tag: number, end: number, length: number, language: Language): boolean {
  if (tag === NAME) return !mayBeAssignmentBytes(bytes, end - 1, language);
  if (tag < NAME) {
    // A token run shorter than any token format.
    const start = end - length + 1;
    let e = start;
    const limit = Math.min(bytes.length, start + MIN_TOKEN_LENGTH);
    while (e < limit && TOKEN_END[bytes[e]!] === 0) e++;
    return e - start < MIN_TOKEN_LENGTH;
  }
  if (tag === URL) {
    // No '@' in the authority, and not a webhook host.
    const authority = end;
    const limit = Math.min(bytes.length, authority + USERINFO_BYTES);
    for (let i = authority; i < limit; i++) {
      const b = bytes[i]!;
      if (b === 64) return false;
      if (USERINFO_END[b] === 1) break;
    }
    const host = String.fromCharCode(...bytes.subarray(authority, Math.min(bytes.length, authority + 14)));
    return !host.startsWith('hooks.') && !/^(?:ptb\.|canary\.)?discord/.test(host);
  }
  if (tag === DISCORD_TELL) {
    const e = end - 8;
    let s = e;
    while (e - s <= 28 && s > 0 && isByteWord(bytes[s - 1]!)) s--;
    const c0 = bytes[s]!;
    return !(e - s >= 24 && e - s <= 28 && (c0 === 77 || c0 === 78 || c0 === 79));
  }
  return false;
}

// The two helpers below run their loop bodies on every call, even when there is nothing to skip or count:
// code that V8 optimised before a rare path first ran is thrown away when it does (and recompiled), which
// cost more than the screen itself on a large tree.

/** The start of the UTF-8 character holding byte `i` (or `i` itself at the end). */
function charStart(bytes: Uint8Array, i: number): number {
  let at = i + 1;
  do at -= 1;
  while (at > 0 && at < bytes.length && (bytes[at]! & 0xc0) === 0x80);
  return at;
}

/** `chars` plus the UTF-16 length of the valid UTF-8 bytes [from, to). */
function utf16Length(bytes: Uint8Array, from: number, to: number, chars: number): number {
  let i = from - 1;
  let b = 0;
  do {
    chars += (b & 0xc0) === 0x80 || i < from ? 0 : b >= 0xf0 ? 2 : 1; // a 4-byte sequence is a surrogate pair
    i += 1;
    b = bytes[i] ?? 0;
  } while (i < to);
  return chars;
}

/**
 * Whether a file, given as its UTF-8 bytes (valid UTF-8 only: the caller checks), may hold a secret: false
 * only when the precise check of every trigger hit, run on decoded text around it, finds nothing. A file
 * this returns false for needs no decoding and no scan by this family.
 */
export function mayHaveSecrets(bytes: Uint8Array, language: Language, path: string): boolean {
  const hits = screenHits;
  clearHits(hits);
  secretTriggers().scanBytes(bytes, hits);
  return hits.tags.length > 0 && judgeHits(bytes, hits, language, path);
}

/**
 * Whether any hit survives its precise check (mayHaveSecrets). Kept apart from the scan loop: its rarely
 * taken branches make V8 re-optimise it now and then, and that should not recompile the loop too.
 */
function judgeHits(bytes: Uint8Array, hits: Hits, language: Language, path: string): boolean {
  const n = bytes.length;
  const testFile = isTestPath(path);
  // The decoded window: bytes [winStart, winEnd) as text, with a cursor mapping a byte offset to its
  // UTF-16 offset (windows start at a character boundary; the file is valid UTF-8).
  let winStart = -1;
  let winEnd = -1;
  let scope: HitScope | undefined;
  let ascii = true;
  let cursorByte = 0;
  let cursorChar = 0;
  for (let h = 0; h < hits.tags.length; h++) {
    const tag = hits.tags[h]!;
    const end = hits.ends[h]!;
    const length = hits.lengths[h]!;
    if (tag === PRIVATE_KEY || length < 0 && tag < NAME) return true; // a key block can be long: not judged in a window
    if (ruledOutByBytes(bytes, tag, end, length, language)) continue;
    const bearer = tag === NAME && end >= 7 && (bytes[end - 7]! | 0x20) === 98 && bytes[end - 1] === 32; // "bearer "
    const ahead = tag < NAME ? AHEAD_TOKEN_BYTES : bearer ? AHEAD_BEARER_BYTES : AHEAD_BYTES;
    const needFrom = Math.max(0, end - BACK_BYTES);
    const needTo = Math.min(n, end + ahead);
    if (scope === undefined || needFrom < winStart || needTo > winEnd) {
      winStart = n <= SMALL_FILE_BYTES ? 0 : needFrom;
      winEnd = n <= SMALL_FILE_BYTES ? n : Math.min(n, needTo + SMALL_FILE_BYTES);
      winStart = charStart(bytes, winStart);
      winEnd = charStart(bytes, winEnd);
      const text = utf8.decode(bytes.subarray(winStart, winEnd));
      ascii = text.length === winEnd - winStart;
      cursorByte = winStart;
      cursorChar = 0;
      scope = { text, language, testFile, window: true, out: [], lastNameEnd: -1, privateKeysDone: true };
    }
    let at = end - winStart;
    if (!ascii) {
      // Hits come in order, so the cursor only moves forward: each byte is counted once per window.
      cursorChar = utf16Length(bytes, cursorByte, end, cursorChar);
      cursorByte = end;
      at = cursorChar;
    }
    handleHit(scope, tag, at, length);
    if (scope.out.length > 0) return true;
  }
  return false;
}
