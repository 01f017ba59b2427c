/**
 * Hard-coded secrets in any text file: provider tokens, private keys, credentials in URLs and generic
 * password/secret/token assignments.
 *
 * Speed matters (the family runs on every file, and `--only secret` must stream well over 100 MB/s), so
 * the text is walked once, word by word. A word start whose first two characters begin a known token
 * prefix is checked against those providers only; a word end followed by `://`, `:AA`, `.atlasv1.` and
 * similar tells is checked against its shape; a word end that closes a credential-like name followed by
 * an assignment operator is parsed as an assignment. Everything else costs a table lookup.
 */
import type { Cancel, Language, RawFinding, Reporter, RuleFamily, SourceDoc } from '../../types.js';
import { CancelledError } from '../../types.js';
import { assignmentAt, kindOfName, mayEndName, type Assignment } from './assignments.js';
import { envFix, envNameFor, nameBefore } from './fix.js';
import { ENV_NAME, SECRET_RULES } from './meta.js';
import { privateKeys, urlCredential, type Candidate } from './structured.js';
import { AZURE_AD, BIGRAM_HIT, BY_TRIGRAM, DISCORD, MAILCHIMP, TELEGRAM, TERRAFORM, TRIGRAM_HIT, tryMatch, type TokenMatcher } from './tokens.js';
import { charClasses, entropy, isPlaceholder, isTestPath } from './values.js';

export { SECRET_RULES } from './meta.js';

const WORD = new Uint8Array(65536);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9]/.test(String.fromCharCode(c))) WORD[c] = 1;

// Characters that may follow a credential name in an assignment: = : " ' ] > ? | space tab.
const AFTER_NAME = new Uint8Array(128);
for (const ch of '=:"\']>?| \t') AFTER_NAME[ch.charCodeAt(0)] = 1;

const SCHEME = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9+.-]/.test(String.fromCharCode(c))) SCHEME[c] = 1;

const CANCEL_EVERY = 1 << 20;
// A file with more candidates than this is a dump or an attack on the scanner, not source to annotate.
const MAX_FINDINGS = 10_000;

// Module-local aliases: the hot loop must not go through live import bindings (getters under some loaders).
const BI_HIT = BIGRAM_HIT;
const TRI_HIT = TRIGRAM_HIT;
const TRI_MATCHERS = BY_TRIGRAM;
const mayEnd = mayEndName;

function fromMatcher(matcher: TokenMatcher, text: string, at: number, out: Candidate[]): boolean {
  if (matcher.notInBase64 && at > 0 && (text[at - 1] === '/' || text[at - 1] === '+')) return false;
  const token = tryMatch(matcher, text, at);
  if (token === undefined) return false;
  const skip = matcher.skip ?? 0;
  out.push({ rule: matcher.rule, start: at + skip, end: at + token.length, secret: token.slice(skip), priority: 3 });
  return true;
}

/** Walk the text once and collect every candidate secret. */
function collect(text: string, language: Language, path: string, cancel: Cancel): Candidate[] {
  const out: Candidate[] = [];
  if (text.includes('-----BEGIN ')) privateKeys(text, out);
  const testFile = isTestPath(path);
  const n = text.length;
  let nextCheck = CANCEL_EVERY;
  let i = 0;
  while (i < n) {
    if (WORD[text.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    if (i > nextCheck) {
      if (cancel.isCancellationRequested) throw new CancelledError();
      nextCheck = i + CANCEL_EVERY;
    }
    const s = i;
    const c0 = text.charCodeAt(s);
    const c1 = text.charCodeAt(s + 1);
    if ((c0 | c1) < 128 && BI_HIT[(c0 << 7) | c1] === 1) {
      const c2 = text.charCodeAt(s + 2);
      const k = (c0 << 14) | (c1 << 7) | c2;
      // A token starts a run of token characters: not after '_', '-' or '.', which also keeps
      // repeated prefixes (`eyJ-eyJ-…`) from re-scanning the same run, so long lines stay linear.
      const prev = s === 0 ? 32 : text.charCodeAt(s - 1);
      if (c2 < 128 && TRI_HIT[k] === 1 && prev !== 95 && prev !== 45 && prev !== 46) {
        for (const matcher of TRI_MATCHERS.get(k)!) if (fromMatcher(matcher, text, s, out)) break;
      }
    }
    i++;
    while (i < n && WORD[text.charCodeAt(i)] === 1) i++;
    const e = i;
    const next = text.charCodeAt(e);
    const len = e - s;
    switch (next) {
      case 58: // ':'
        if (text.charCodeAt(e + 1) === 47 && text.charCodeAt(e + 2) === 47) {
          let from = s;
          while (from > 0 && s - from < 24 && SCHEME[text.charCodeAt(from - 1)] === 1) from--;
          const url = urlCredential(text, from, e, testFile);
          if (url) out.push(url);
        } else if (text.charCodeAt(e + 1) === 65 && text.charCodeAt(e + 2) === 65) {
          // Telegram: the bot id's digits may end a longer word (`…/bot123456789:AA…` in API URLs).
          let d = e;
          while (d > s && e - d < 11 && text.charCodeAt(d - 1) >= 48 && text.charCodeAt(d - 1) <= 57) d--;
          const glued = d > s && !(d - s === 3 && /^bot$/i.test(text.slice(s, d)));
          if (e - d >= 8 && e - d <= 10 && !glued) fromMatcher(TELEGRAM, text, d, out);
        }
        break;
      case 45: // '-'
        if (len === 32 && text.startsWith('-us', e)) fromMatcher(MAILCHIMP, text, s, out);
        break;
      case 46: // '.'
        if (len === 14 && text.startsWith('.atlasv1.', e)) fromMatcher(TERRAFORM, text, s, out);
        else if (len >= 24 && len <= 28 && (c0 === 77 || c0 === 78 || c0 === 79)) fromMatcher(DISCORD, text, s, out);
        break;
      case 126: // '~'
        if (text.charCodeAt(e - 1) === 81 && e >= 5) fromMatcher(AZURE_AD, text, e - 5, out);
        break;
    }
    if (next < 128 && AFTER_NAME[next] === 1 && mayEnd(text, e)) {
      const assignment = assignmentAt(text, e, language, testFile);
      if (assignment) out.push(assignment);
    }
  }
  if (out.length > 0) awsSecretsNearKeyIds(text, out);
  return out;
}

const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** An AWS secret key has no prefix; next to a key id (CSV exports, credential dumps) its shape is enough. */
function awsSecretsNearKeyIds(text: string, out: Candidate[]): void {
  const ids = out.filter((c) => c.rule === 'secret.aws-access-key-id');
  for (const id of ids) {
    const from = Math.max(0, id.start - 200);
    const window = text.slice(from, Math.min(text.length, id.end + 200)); // bounded: no scan to the end of a big file
    AWS_SECRET_SHAPE.lastIndex = 0;
    for (let m = AWS_SECRET_SHAPE.exec(window); m; m = AWS_SECRET_SHAPE.exec(window)) {
      const value = m[0];
      if (charClasses(value) >= 3 && entropy(value) >= 4 && !isPlaceholder(value)) {
        out.push({ rule: 'secret.aws-secret-access-key', start: from + m.index, end: from + m.index + 40, secret: value, priority: 2 });
      }
    }
  }
}

/** Keep one candidate per overlapping group: the most specific (highest priority), then the longest. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || b.priority - a.priority);
  const kept: Candidate[] = [];
  for (const c of candidates) {
    const last = kept[kept.length - 1];
    if (last && c.start < last.end) {
      if (c.priority > last.priority || (c.priority === last.priority && c.end - c.start > last.end - last.start)) kept[kept.length - 1] = c;
      continue;
    }
    kept.push(c);
  }
  return kept;
}

const TITLES = new Map(SECRET_RULES.map((r) => [r.id, r.title]));

function messageOf(c: Candidate): string {
  const title = TITLES.get(c.rule)!;
  if (c.rule === 'secret.generic-assignment') return `${title} in "${(c as Assignment).name}"`;
  return c.detail !== undefined ? `${title} (${c.detail})` : title; // key kind or URL scheme, never the value
}

function fixOf(c: Candidate, text: string, language: Language): RawFinding['fix'] {
  const assignment = c as Partial<Assignment>;
  if (assignment.name !== undefined) {
    const env = envNameFor(assignment.name) ?? ENV_NAME.get(c.rule);
    return assignment.literal && env ? envFix(text, language, assignment.literal.start, assignment.literal.end, env) : undefined;
  }
  if (c.priority !== 3 || c.rule === 'secret.private-key') return undefined;
  const quote = text[c.start - 1];
  if ((quote !== '"' && quote !== "'" && quote !== '`') || text[c.end] !== quote) return undefined;
  const name = nameBefore(text, c.start - 1);
  const env = (name !== undefined && kindOfName(name) ? envNameFor(name) : undefined) ?? ENV_NAME.get(c.rule);
  return env ? envFix(text, language, c.start - 1, c.end + 1, env) : undefined;
}

/**
 * The finding's stable key (for fingerprints and baselines): up to 40 characters before the secret on its line,
 * with long token-like runs masked, and the secret's length; never the value. Supplying it also spares the
 * engine from masking the value in a possibly huge line for each of possibly many findings.
 */
function keyOf(c: Candidate, text: string): string {
  const from = Math.max(0, c.start - 40);
  let before = text.slice(from, c.start);
  const nl = before.lastIndexOf('\n');
  if (nl >= 0) before = before.slice(nl + 1);
  return `${before.replace(/[A-Za-z0-9+/=_-]{12,}/g, '*')}<secret:${c.secret.length}>`;
}

/** The secrets rule family; runs on every text file. */
export const secretsFamily: RuleFamily = {
  name: 'secrets',
  rules: SECRET_RULES,
  appliesTo: () => true,
  run(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
    const candidates = collect(doc.text, doc.language, doc.path, cancel);
    if (candidates.length === 0) return;
    const kept = resolveOverlaps(candidates);
    if (kept.length > MAX_FINDINGS) {
      report.note({ kind: 'skipped', message: `${kept.length} possible secrets in this file; only the first ${MAX_FINDINGS} are reported` });
      kept.length = MAX_FINDINGS;
    }
    for (const c of kept) {
      const fix = fixOf(c, doc.text, doc.language);
      report.finding({
        ruleId: c.rule,
        start: c.start,
        end: c.end,
        message: messageOf(c),
        secret: c.secret,
        key: keyOf(c, doc.text),
        ...(fix ? { fix } : {}),
      });
    }
  },
};
