// The trigger tables file the build writes (dist/triggers.bin): it must round-trip, and a damaged file must
// be refused with a message (scans then build automata lazily), never crash a scan.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TriggerAutomaton } from '../../server/engine/automaton.js';
import { triggerAutomata } from '../../server/engine/index.js';
import { decodeTriggerTables, encodeTriggerTables, loadTriggerTables, writeTriggerTables } from '../../server/workspace/trigger-tables.js';

const dir = mkdtempSync(join(tmpdir(), 'shippi-tables-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const small = (): TriggerAutomaton => new TriggerAutomaton([{ source: 'ab[cd]', tag: 0 }, { source: 'x+y', tag: 1, ignoreCase: true }]);

test('tables survive encoding and decoding unchanged', () => {
  const tables = [small().exportTable(), new TriggerAutomaton([{ source: 'q', tag: 7 }]).exportTable()];
  const decoded = decodeTriggerTables(encodeTriggerTables(tables));
  assert.is(decoded.length, 2);
  for (const [i, t] of tables.entries()) {
    const d = decoded[i]!;
    assert.equal([d.key, d.initial, d.classes, d.accepts], [t.key, t.initial, t.classes, t.accepts]);
    assert.equal([...d.byteClass], [...t.byteClass]);
    assert.equal([...d.next], [...t.next]);
  }
});

test('the written file holds every family automaton', () => {
  const file = join(dir, 'triggers.bin');
  const written = writeTriggerTables(file);
  assert.is(written.tables, 3);
  const decoded = decodeTriggerTables(readFileSync(file));
  assert.is(decoded.reduce((n, t) => n + t.accepts.length, 0), written.states);
});

test('damaged files are refused with a message naming the problem', () => {
  const good = encodeTriggerTables([small().exportTable()]);
  assert.throws(() => decodeTriggerTables(Buffer.from('hello world, not a table')), /not a trigger table file/);
  assert.throws(() => decodeTriggerTables(good.subarray(0, good.length - 3)), /truncated/);
  const badHeader = Buffer.from(good);
  badHeader.writeUInt32LE(1 << 30, 8);
  assert.throws(() => decodeTriggerTables(badHeader), /truncated/);
});

test('the build wrote tables for the current automata (npm test builds first)', () => {
  const built = new URL('../../dist/triggers.bin', import.meta.url);
  const keys = decodeTriggerTables(readFileSync(built)).map((t) => t.key);
  assert.equal(keys, triggerAutomata().map((a) => a.key));
});

test('a damaged file on disk is not used, and does not throw', () => {
  const file = join(dir, 'broken.bin');
  writeFileSync(file, 'SHPTRG01garbage');
  assert.is(loadTriggerTables(pathToFileURL(file)), false);
  assert.ok(loadTriggerTables(pathToFileURL(join(dir, 'triggers.bin'))), 'the file written above installs');
});

test.run();
