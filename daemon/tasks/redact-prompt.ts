/** Stripping secrets out of text before it is stored: the same engine rules the editor underlines. */
import { scan } from '../../server/engine/index.js';

/** Replace every secret the engine finds with `[REDACTED <rule id>]`. */
export function redactSecretsInText(text: string): string {
  const secrets = scan(text, { path: 'prompt.txt', config: { only: ['secret'] } })
    .sort((a, b) => b.start - a.start);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const f of secrets) {
    if (f.end > floor) continue; // overlapping findings: the later one already covered this span
    out = `${out.slice(0, f.start)}[REDACTED ${f.ruleId}]${out.slice(f.end)}`;
    floor = f.start;
  }
  return out;
}
