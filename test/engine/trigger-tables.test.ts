// Prebuilt trigger tables: an automaton built from an installed table must report exactly what the lazily
// built one does, and a table that does not fit together is refused.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installTriggerTables, newHits, tableKey, TriggerAutomaton, type TriggerPattern } from '../../server/engine/automaton.js';
import { triggerAutomata } from '../../server/engine/index.js';
import { CORPUS_DIR } from '../corpus/evaluate.js';

const PATTERNS: TriggerPattern[] = [
  { source: '[^A-Za-z0-9]ghp_[A-Za-z0-9]{2}', tag: 0 },
  { source: 'pass(?:word)?[=:]', tag: 1, ignoreCase: true },
  { source: '[^A-Za-z0-9 ]+x', tag: 2 },
];

function corpusTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(CORPUS_DIR);
  return out;
}

function hitsOf(a: TriggerAutomaton, text: string): string {
  const hits = newHits();
  a.scan(text, hits);
  const bytes = newHits();
  a.scanBytes(new TextEncoder().encode(text), bytes);
  return JSON.stringify([hits, bytes.tags]);
}

test('the key names the pattern set: any change to a pattern changes it', () => {
  const key = tableKey(PATTERNS);
  assert.is(tableKey(PATTERNS.map((p) => ({ ...p }))), key);
  assert.is.not(tableKey([{ ...PATTERNS[0]!, ignoreCase: true }, ...PATTERNS.slice(1)]), key);
  assert.is.not(tableKey([{ ...PATTERNS[0]!, maxSets: 2 }, ...PATTERNS.slice(1)]), key);
  assert.is.not(tableKey(PATTERNS.slice(1)), key);
});

test("every family's automaton, rebuilt from its exported table, reports the same hits on the corpus", () => {
  const lazy = triggerAutomata();
  const tables = lazy.map((a) => a.exportTable());
  for (const t of tables) assert.ok(t.classes < 256 && t.next.length === t.accepts.length * t.classes, t.key);
  installTriggerTables(tables);
  const texts = [...corpusTexts(), 'ghp_ password= é'.repeat(50)];
  for (const [i, a] of lazy.entries()) {
    // Same patterns as the family's (the key matches), so the new automaton takes the installed table.
    assert.is(a.key, tables[i]!.key);
    const rebuilt = new TriggerAutomaton(a.patterns);
    assert.ok(rebuilt.prebuilt, 'uses the installed table');
    assert.is(rebuilt.stateCount, tables[i]!.accepts.length);
    for (const text of texts) assert.is(hitsOf(rebuilt, text), hitsOf(a, text));
  }
});

test('a table that does not fit together is refused, naming the problem', () => {
  const table = new TriggerAutomaton(PATTERNS).exportTable();
  assert.throws(() => installTriggerTables([{ ...table, next: table.next.subarray(1) }]), /entries for/);
  assert.throws(() => installTriggerTables([{ ...table, initial: table.accepts.length }]), /bad initial state/);
  assert.throws(() => installTriggerTables([{ ...table, byteClass: new Uint8Array(10) }]), /bad byte classes/);
  const broken = { ...table, next: table.next.map((v, i) => (i === 3 ? 60_000 : v)) };
  installTriggerTables([broken]);
  assert.throws(() => new TriggerAutomaton(PATTERNS), /leads to state 60000/);
});

test.run();
