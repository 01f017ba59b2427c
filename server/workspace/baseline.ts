/**
 * Baselines: a JSON file of accepted findings, keyed by file and fingerprint (never line numbers, never
 * secret values), so a team can adopt Shippi without fixing everything first.
 *
 * Format: `{"version":1,"findings":[{"ruleId":"…","file":"src/a.js","fingerprint":"…"}]}`, `file` relative to
 * the baseline file's directory with forward slashes, entries sorted so diffs stay small.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { compareStrings } from '../engine/text.js';
import { z, type Infer } from './zod.js';

const BaselineSchema = z.strictObject({
  version: z.literal(1),
  findings: z.array(z.strictObject({ ruleId: z.string(), file: z.string(), fingerprint: z.string().check(z.regex(/^[0-9a-f]{16}$/)) })),
});

/** One accepted finding. */
export type BaselineEntry = Infer<typeof BaselineSchema>['findings'][number];

/** A loaded baseline: fast membership checks. */
export class Baseline {
  private readonly keys: Set<string>;

  constructor(readonly entries: readonly BaselineEntry[]) {
    this.keys = new Set(entries.map((e) => Baseline.key(e)));
  }

  private static key(e: BaselineEntry): string {
    return `${e.file}\u0000${e.ruleId}\u0000${e.fingerprint}`;
  }

  /** Whether a finding (file relative to the baseline's directory) is accepted. */
  has(entry: BaselineEntry): boolean {
    return this.keys.has(Baseline.key(entry));
  }

  /** A new baseline with these entries added (duplicates dropped, sorted). */
  with(added: readonly BaselineEntry[]): Baseline {
    const all = new Map<string, BaselineEntry>();
    for (const e of [...this.entries, ...added]) all.set(Baseline.key(e), e);
    return new Baseline([...all.values()].sort((a, b) => compareStrings(Baseline.key(a), Baseline.key(b))));
  }

  /** The file's JSON text. */
  serialise(): string {
    return `${JSON.stringify({ version: 1, findings: this.entries }, null, 2)}\n`;
  }
}

/** Parse a baseline's text; throws an Error naming the file and the problem. */
export function parseBaseline(text: string, source: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = BaselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
  }
  return new Baseline(parsed.data.findings);
}

/** Read a baseline file; a missing file is an empty baseline. */
export async function readBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Baseline([]);
    throw err;
  }
  return parseBaseline(text, path);
}

/** Write a baseline atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, baseline.serialise());
  await rename(temp, path);
}
