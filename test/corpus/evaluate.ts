/** Runs the engine over the labelled corpus and counts true/false positives and misses per category. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, ruleById, LineIndex, type Category } from '../../server/engine/index.js';

export const CORPUS_DIR = new URL('./', import.meta.url).pathname;

/** Counts for one category. */
export interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

/** A labelled line that went wrong, for test failure messages (never includes the line's text). */
export interface Miss {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string;
  readonly kind: 'false-positive' | 'false-negative';
}

/** The whole evaluation. */
export interface Evaluation {
  readonly byCategory: Map<Category, Tally>;
  readonly misses: Miss[];
  readonly rulesWithTrueCases: Set<string>;
  readonly files: number;
}

const EXPECT = /\bexpect(-next-line)?:\s*([a-z0-9.,\s-]+?)\s*(?:\*\/|-->|$)/;

function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...corpusFiles(path));
    else if (!name.endsWith('.md') || dir !== CORPUS_DIR) if (!path.endsWith('evaluate.ts')) out.push(path);
  }
  return out.sort();
}

/** Labels of a file: line (0-based) → expected rule ids. */
export function labelsOf(text: string): Map<number, Set<string>> {
  const labels = new Map<number, Set<string>>();
  text.split('\n').forEach((line, i) => {
    const m = EXPECT.exec(line);
    if (!m) return;
    const target = m[1] ? i + 1 : i;
    const set = labels.get(target) ?? new Set<string>();
    for (const id of m[2]!.split(/[,\s]+/).filter(Boolean)) set.add(id);
    labels.set(target, set);
  });
  return labels;
}

function tally(map: Map<Category, Tally>, category: Category): Tally {
  let t = map.get(category);
  if (!t) map.set(category, (t = { tp: 0, fp: 0, fn: 0 }));
  return t;
}

/** Evaluate the engine over every corpus file. */
export function evaluateCorpus(dir = CORPUS_DIR): Evaluation {
  const byCategory = new Map<Category, Tally>();
  const misses: Miss[] = [];
  const rulesWithTrueCases = new Set<string>();
  const files = corpusFiles(dir);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(dir, file);
    const labels = labelsOf(text);
    const lines = new LineIndex(text);
    const found = new Map<number, Set<string>>();
    for (const f of analyze(text, { path: rel }).findings) {
      const line = lines.lineAt(f.start);
      const set = found.get(line) ?? new Set<string>();
      set.add(f.ruleId);
      found.set(line, set);
    }
    for (const [line, ids] of found) {
      for (const id of ids) {
        const category = ruleById(id)!.category;
        if (labels.get(line)?.has(id)) tally(byCategory, category).tp++;
        else {
          tally(byCategory, category).fp++;
          misses.push({ file: rel, line: line + 1, ruleId: id, kind: 'false-positive' });
        }
      }
    }
    for (const [line, ids] of labels) {
      for (const id of ids) {
        const rule = ruleById(id);
        if (!rule) throw new Error(`${rel}:${line + 1}: label names unknown rule ${id}`);
        rulesWithTrueCases.add(id);
        if (!found.get(line)?.has(id)) {
          tally(byCategory, rule.category).fn++;
          misses.push({ file: rel, line: line + 1, ruleId: id, kind: 'false-negative' });
        }
      }
    }
  }
  return { byCategory, misses, rulesWithTrueCases, files: files.length };
}

/** Precision and recall of a tally (1 when there is nothing to measure). */
export function scores(t: Tally): { precision: number; recall: number } {
  return {
    precision: t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp),
    recall: t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn),
  };
}
