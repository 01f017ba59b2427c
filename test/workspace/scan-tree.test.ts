import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CancelledError } from '../../server/engine/index.js';
import { loadProjectConfig, prestartScanWorkers, scanFiles, scanTree, type FileResult } from '../../server/workspace/scan-tree.js';
import { prestartedWorkerCount } from '../../server/workspace/scan-workers.js';
import { scanFile, scanFileSync, type ScannedFile } from '../../server/workspace/scan-file.js';

const BIDI = '\u202E';
let root = '';

function put(rel: string, content: string | Buffer): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'shippi-tree-'));
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

test('findings come back with 1-based UTF-16 locations and paths relative to cwd', async () => {
  put('src/a.js', `// 😀 ok\nconst s = "x${BIDI}";\n`);
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0 });
  assert.is(r.files.length, 1);
  const file = r.files[0]!;
  assert.is(file.relPath, 'src/a.js');
  assert.is(file.findings.length, 1);
  assert.equal(file.locations[0], { line: 2, column: 13, endLine: 2, endColumn: 14 });
  assert.is(r.stats.files, 1);
  assert.is(r.stats.bytes, file.bytes);
});

test('binary files and files over the size cap are skipped with a reason naming the cap', async () => {
  put('img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  put('big.txt', 'a'.repeat(2000));
  put('ok.txt', 'fine\n');
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, maxFileBytes: 1000, workers: 0 });
  assert.equal(r.files.map((f) => f.relPath), ['ok.txt']);
  assert.equal(r.skipped.map((s) => s.path), ['big.txt', 'img.png']);
  assert.match(r.skipped[0]!.reason, /too large \(2 KiB, cap 1000 B\)/);
  assert.is(r.skipped[1]!.reason, 'binary');
});

test('invalid UTF-8 is scanned anyway, with an encoding note', async () => {
  put('latin1.js', Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from(`\nx${BIDI}\n`)]));
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0 });
  const file = r.files[0]!;
  assert.is(file.findings.length, 1);
  assert.equal(file.notes.map((n) => n.kind), ['encoding']);
});

test('a file that vanishes between the walk and the read is skipped, not fatal', async () => {
  const kept = put('kept.js', `x${BIDI}\n`);
  const r = await scanFiles([{ path: join(root, 'gone.js'), relPath: 'gone.js' }, { path: kept, relPath: 'kept.js' }], { cwd: root, engine: {}, workers: 0 });
  assert.equal(r.files.map((f) => f.relPath), ['kept.js']);
  assert.equal(r.skipped, [{ path: 'gone.js', reason: 'does not exist (or vanished during the scan)' }]);
});

test('a 5 MB single-line file is scanned and a 50 MB one is skipped by the cap, neither hangs', async () => {
  // A long run of word characters (like an inline source map) plus a non-ASCII character: no quadratic regexes.
  put('one-line.min.js', `var a=${'1+'.repeat(1_000_000)}1;var m="${'Ab3x'.repeat(750_000)}";// é ${BIDI}`);
  put('huge.min.js', Buffer.alloc(50 * 1024 * 1024, 'a'));
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0 });
  assert.equal(r.files.map((f) => f.relPath), ['one-line.min.js']);
  assert.is(r.files[0]!.findings.length, 1);
  assert.equal(r.skipped.map((s) => s.path), ['huge.min.js']);
});

test('the worker pool gives the same results as the in-process scan, streaming each file', async () => {
  for (let i = 0; i < 30; i++) put(`f${i}.js`, i % 3 === 0 ? `x${BIDI}\n` : 'ok\n');
  put('bin.dat', Buffer.from([1, 0, 2]));
  const streamed: string[] = [];
  const pooled = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 2, onFile: (f) => streamed.push(f.relPath) });
  const inline = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0 });
  const summary = (files: FileResult[]) => files.map((f) => [f.relPath, f.findings.map((x) => x.fingerprint), f.locations]);
  assert.equal(summary(pooled.files), summary(inline.files));
  assert.equal(pooled.skipped, inline.skipped);
  assert.is(streamed.length, 30);
  assert.equal([...streamed].sort(), pooled.files.map((f) => f.relPath).sort());
});

test('a worker that runs out of memory loses nothing: its batch is rescanned in-process', async () => {
  for (let i = 0; i < 8; i++) put(`small${i}.js`, `x${BIDI}\n`);
  // 150,000 findings need far more than a 16 MiB heap (the worker starts, then dies on this file).
  put('big.js', `x${BIDI}\n`.repeat(150_000));
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 1, workerHeapMb: 16 });
  assert.equal(r.skipped, []);
  assert.is(r.files.length, 9);
  assert.equal(r.files.map((f) => f.findings.length), [150_000, 1, 1, 1, 1, 1, 1, 1, 1]);
});

test('a file that takes longer than the timeout is skipped as timed out; the rest of its batch is still scanned', async () => {
  put('a-small.js', `x${BIDI}\n`);
  // Hundreds of thousands of findings take seconds to analyse: far over a 500 ms limit on any machine.
  put('b-slow.js', `x${BIDI}\n`.repeat(400_000));
  put('c-small.js', `x${BIDI}\n`);
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 1, fileTimeoutMs: 500, workerHeapMb: 0 });
  assert.equal(r.files.map((f) => [f.relPath, f.findings.length]), [['a-small.js', 1], ['c-small.js', 1]]);
  assert.equal(r.skipped, [{ path: 'b-slow.js', reason: 'timed out (analysis took over 500 ms)' }]);
});

test('in-process scans time out too: the analysis stops at its next cancel check', async () => {
  put('a-small.js', `x${BIDI}\n`);
  put('b-slow.js', `x${BIDI}\n`.repeat(400_000));
  const r = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0, fileTimeoutMs: 300 });
  assert.equal(r.files.map((f) => [f.relPath, f.findings.length]), [['a-small.js', 1]]);
  assert.equal(r.skipped, [{ path: 'b-slow.js', reason: 'timed out (analysis took over 300 ms)' }]);
});

test('engine config reaches the workers (only + rule settings)', async () => {
  for (let i = 0; i < 10; i++) put(`f${i}.js`, `x${BIDI}\n`);
  const off = await scanTree({ paths: ['.'], cwd: root, engine: { rules: { 'unicode.bidi-control': 'off' } }, workers: 2 });
  assert.is(off.files.reduce((n, f) => n + f.findings.length, 0), 0);
  const low = await scanTree({ paths: ['.'], cwd: root, engine: { rules: { 'unicode.bidi-control': 'low' } }, workers: 2 });
  assert.ok(low.files.every((f) => f.findings.length === 1 && f.findings[0]!.severity === 'low'));
});

test('a cancelled scan rejects with CancelledError', async () => {
  for (let i = 0; i < 5; i++) put(`f${i}.js`, 'ok\n');
  let err: unknown;
  await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0, cancel: { isCancellationRequested: true } }).catch((e) => (err = e));
  assert.instance(err, CancelledError);
});

test('cancelling mid-scan stops the worker pool and rejects with CancelledError', async () => {
  for (let i = 0; i < 200; i++) put(`f${i}.js`, `x${BIDI}\n`.repeat(200));
  const cancel = { isCancellationRequested: false };
  let seen = 0;
  let err: unknown;
  await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 2, cancel, onFile: () => {
    seen++;
    cancel.isCancellationRequested = true;
  } }).catch((e) => (err = e));
  assert.instance(err, CancelledError);
  assert.ok(seen >= 1 && seen < 200, `saw ${seen} files`);
});

test('a FIFO in place of a file is skipped at once, by worker threads and in-process alike', async () => {
  const fifo = join(root, 'pipe.js');
  execFileSync('mkfifo', [fifo]);
  assert.equal(scanFileSync(fifo, 'pipe.js', {}, 1024), { kind: 'skipped', reason: 'not a regular file', bytes: 0 });
  assert.equal(await scanFile(fifo, 'pipe.js', {}, 1024), { kind: 'skipped', reason: 'not a regular file', bytes: 0 });
});

test('files over the cap are measured without reading them whole, and the cap holds in worker threads', () => {
  const big = put('big.txt', 'a'.repeat(300_000));
  assert.equal(scanFileSync(big, 'big.txt', {}, 100_000), { kind: 'skipped', reason: 'too large (293 KiB, cap 97.7 KiB)', bytes: 300_000 });
  const exact = put('exact.txt', 'b'.repeat(100_000));
  assert.is(scanFileSync(exact, 'exact.txt', {}, 100_000).kind, 'scanned');
  const over = put('over.txt', 'b'.repeat(100_001));
  assert.equal(scanFileSync(over, 'over.txt', {}, 100_000), { kind: 'skipped', reason: 'too large (97.7 KiB, cap 97.7 KiB)', bytes: 100_001 });
});

test('the reused read buffer holds only the current file, and grows past 16 MiB when the cap allows', () => {
  // A long file with a finding near its end, then a short clean one: no stale bytes may be scanned.
  const long = put('long.txt', `${'x'.repeat(200_000)}\nconst a = "${BIDI}";\n`);
  assert.is((scanFileSync(long, 'long.txt', {}, 1_000_000) as ScannedFile).findings.length, 1);
  const short = put('short.txt', 'ok\n');
  assert.equal(scanFileSync(short, 'short.txt', {}, 1_000_000), { kind: 'scanned', findings: [], locations: [], notes: [], bytes: 3 });
  const huge = put('huge.txt', `${'y'.repeat(17 * 1024 * 1024)}\n${BIDI}\n`);
  const scanned = scanFileSync(huge, 'huge.txt', {}, 32 * 1024 * 1024) as ScannedFile;
  assert.is(scanned.bytes, 17 * 1024 * 1024 + 2 + Buffer.byteLength(BIDI));
  assert.is(scanned.findings.length, 1);
  assert.is(scanFileSync(short, 'short.txt', {}, 32 * 1024 * 1024).bytes, 3);
});

test('prestarted workers are taken by the next scan (same findings), or stopped when it needs none', async () => {
  for (let i = 0; i < 60; i++) put(`f${i}.js`, i % 3 === 0 ? `x${BIDI}\n` : 'const a = 1;\n');
  const inProcess = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0 });
  prestartScanWorkers(2);
  assert.is(prestartedWorkerCount(), 2);
  const pooled = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 2 });
  assert.is(prestartedWorkerCount(), 0);
  const summary = (r: typeof pooled): string[] => r.files.map((f) => `${f.relPath}:${f.findings.map((x) => x.ruleId).join(',')}`);
  assert.equal(summary(pooled), summary(inProcess));
  assert.is(pooled.files.filter((f) => f.findings.length > 0).length, 20);

  prestartScanWorkers(2);
  const none = await scanTree({ paths: ['.'], cwd: root, engine: {}, workers: 0 });
  assert.is(prestartedWorkerCount(), 0);
  assert.equal(summary(none), summary(inProcess));
});

test('loadProjectConfig walks up to the nearest .shippi.json and names the file when it is invalid', async () => {
  put('.shippi.json', '{"ignore": ["gen/"]}');
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  const found = await loadProjectConfig(join(root, 'a', 'b'));
  assert.equal(found, { config: { ignore: ['gen/'] }, path: join(root, '.shippi.json') });
  put('a/.shippi.json', '{"rules": {"unicode.bidi-control": "loud"}}');
  let message = '';
  await loadProjectConfig(join(root, 'a', 'b')).catch((e: Error) => (message = e.message));
  assert.ok(message.startsWith(join(root, 'a', '.shippi.json')), message);
  assert.match(message, /rules\.unicode\.bidi-control/);
});

test.run();
