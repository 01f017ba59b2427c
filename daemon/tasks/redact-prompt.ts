/** Stripping secrets out of text before it is stored: the same engine rules the editor underlines. */
import { analyze, type Finding } from '../../server/engine/index.js';
import { DaemonError } from '../protocol/index.js';

/**
 * The engine reports at most 10,000 secrets per text (more is a dump, not source to annotate) and says so in a
 * `skipped` note. Redaction must not stop there, so it scans again until nothing was held back; this many
 * passes (a million secrets) is where a text is refused instead.
 */
const MAX_PASSES = 100;

/** Replace every secret the engine finds with `[REDACTED <rule id>]`. Refuses (BAD_REQUEST) a text with too many to finish. */
export function redactSecretsInText(text: string): string {
  let out = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { findings, notes } = analyze(out, { path: 'prompt.txt', config: { only: ['secret'] } });
    out = replaceFindings(out, findings);
    if (!notes.some((n) => n.kind === 'skipped')) return out;
  }
  throw new DaemonError('BAD_REQUEST', `the text holds more secrets than redaction handles (over ${MAX_PASSES} × 10,000); nothing was stored`);
}

function replaceFindings(text: string, findings: readonly Finding[]): string {
  const parts: string[] = [];
  let end = text.length;
  // From the end, so earlier offsets stay valid; an overlapping finding was already covered by a later one.
  for (const f of [...findings].sort((a, b) => b.start - a.start)) {
    if (f.end > end) continue;
    parts.push(text.slice(f.end, end), `[REDACTED ${f.ruleId}]`);
    end = f.start;
  }
  parts.push(text.slice(0, end));
  return parts.reverse().join('');
}
