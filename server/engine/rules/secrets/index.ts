/**
 * Hard-coded secrets in any text file: provider tokens, private keys, credentials in URLs and generic
 * password/secret/token assignments.
 *
 * Speed matters (the family runs on every file, and `--only secret` must stream at 150 MB/s), so one
 * trigger automaton (triggers.ts) reads the text once and stops only where a token prefix starts a token,
 * a credential-like name meets an assignment operator, or a prefix-less format shows its tell; the precise
 * checks run there. Everything else costs one table lookup per character.
 */
import type { Cancel, Language, RawFinding, Reporter, RuleFamily, SourceDoc } from '../../types.js';
import { CancelledError } from '../../types.js';
import { clearHits, newHits } from '../../automaton.js';
import { kindOfName, type Assignment } from './assignments.js';
import { envFix, envNameFor, nameBefore } from './fix.js';
import { ENV_NAME, SECRET_RULES } from './meta.js';
import type { Candidate } from './structured.js';
import { handleHit, mayHaveSecrets, secretTriggers, type HitScope } from './triggers.js';
import { charClasses, entropy, isPlaceholder, isTestPath } from './values.js';

export { SECRET_RULES } from './meta.js';

const CANCEL_EVERY = 1 << 16;
// A file with more candidates than this is a dump or an attack on the scanner, not source to annotate.
const MAX_FINDINGS = 10_000;

/** Find every candidate secret: one automaton pass for the triggers, a precise check at each. */
function collect(text: string, language: Language, path: string, cancel: Cancel): Candidate[] {
  const scope: HitScope = { text, language, testFile: isTestPath(path), window: false, out: [], lastNameEnd: -1, privateKeysDone: false };
  const automaton = secretTriggers();
  const hits = newHits();
  let state = automaton.startState;
  // In slices, so that cancellation is seen and the hit list stays small on huge texts.
  for (let from = 0; from < text.length; from += CANCEL_EVERY) {
    if (from > 0 && cancel.isCancellationRequested) throw new CancelledError();
    clearHits(hits);
    state = automaton.scan(text, hits, from, Math.min(text.length, from + CANCEL_EVERY), state);
    for (let h = 0; h < hits.tags.length; h++) handleHit(scope, hits.tags[h]!, hits.ends[h]!, hits.lengths[h]!);
  }
  if (scope.out.length > 0) awsSecretsNearKeyIds(text, scope.out);
  return scope.out;
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
  screen: (bytes, doc) => mayHaveSecrets(bytes, doc.language, doc.path),
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
