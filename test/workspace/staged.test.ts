import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotARepositoryError, scanStagedFiles } from '../../server/workspace/staged.js';

const BIDI = '\u202E';
let root = '';
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
const put = (rel: string, content: string | Buffer) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
};

test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'shippi-staged-'));
  git('init', '-q');
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

test('staged blobs are read from the index, including odd names, with size cap and binary sniff', async () => {
  put('dir with space/ünï.js', `x${BIDI}\n`);
  put('big.txt', 'a'.repeat(500));
  put('image.bin', Buffer.from([0, 1, 2]));
  put('not-staged.js', `x${BIDI}\n`);
  git('add', 'dir with space/ünï.js', 'big.txt', 'image.bin');
  put('dir with space/ünï.js', 'changed after staging\n');
  const r = await scanStagedFiles({ cwd: join(root, 'dir with space'), engine: {}, maxFileBytes: 100 });
  assert.equal(r.files.map((f) => [f.relPath, f.findings.length]), [['ünï.js', 1]]);
  assert.equal(r.skipped, [
    { path: '../big.txt', reason: 'too large (500 B, cap 100 B)' },
    { path: '../image.bin', reason: 'binary' },
  ]);
});

test('deleted files are not scanned; an empty index is an empty result', async () => {
  assert.equal((await scanStagedFiles({ cwd: root, engine: {} })).files, []);
  put('a.js', 'ok\n');
  git('add', 'a.js');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'a');
  git('rm', '-q', 'a.js');
  assert.equal((await scanStagedFiles({ cwd: root, engine: {} })).files, []);
});

test('outside a repository the error says --staged needs one', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'shippi-norepo-'));
  try {
    const err = await scanStagedFiles({ cwd: outside, engine: {} }).catch((e: unknown) => e);
    assert.instance(err, NotARepositoryError);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test.run();
