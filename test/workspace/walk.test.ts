import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { walkPaths } from '../../server/workspace/walk.js';

let root = '';

function put(rel: string, text = 'x\n'): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** The walk's files, relative to the root; the blocking walk (the CLI's) must find exactly the same. */
async function walk(paths: string[] = ['.'], ignore?: string[]): Promise<string[]> {
  const run = async (blocking: boolean): Promise<string[]> => {
    const r = await walkPaths({ paths, cwd: root, blocking, ...(ignore ? { ignore, ignoreBase: root } : {}) });
    return r.files.map((f) => relative(root, f));
  };
  const found = await run(false);
  assert.equal(await run(true), found, 'the blocking walk agrees');
  return found;
}

test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'shippi-walk-'));
  mkdirSync(join(root, '.git', 'info'), { recursive: true });
  writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

test('the walk skips .git and honours the root .gitignore, including directory patterns', async () => {
  put('.gitignore', 'node_modules/\n*.log\n');
  put('src/a.js');
  put('debug.log');
  put('node_modules/lib/index.js');
  assert.equal(await walk(), ['.gitignore', 'src/a.js']);
});

test('a nested .gitignore applies below its directory and can re-include with !', async () => {
  put('.gitignore', '*.gen.js\n');
  put('pkg/.gitignore', 'secret-data/\n!keep.gen.js\n');
  put('a.gen.js');
  put('pkg/keep.gen.js');
  put('pkg/drop.gen.js');
  put('pkg/secret-data/x.js');
  put('other/secret-data/y.js');
  assert.equal(await walk(), ['.gitignore', 'other/secret-data/y.js', 'pkg/.gitignore', 'pkg/keep.gen.js']);
});

test('.git/info/exclude is honoured', async () => {
  writeFileSync(join(root, '.git', 'info', 'exclude'), 'local-notes.txt\n');
  put('local-notes.txt');
  put('b.js');
  assert.equal(await walk(), ['b.js']);
});

test('config ignore patterns are applied relative to the config directory', async () => {
  put('test/corpus/a.js');
  put('test/unit.js');
  assert.equal(await walk(['.'], ['test/corpus/']), ['test/unit.js']);
});

test('a file named explicitly is scanned even when ignored', async () => {
  put('.gitignore', '.env\n');
  put('.env', 'TOKEN=x\n');
  assert.equal(await walk(['.env']), ['.env']);
  assert.equal(await walk(['.']), ['.gitignore']);
});

test('an ignored directory named explicitly (node_modules) is walked, with its own .gitignore rules', async () => {
  put('.gitignore', 'node_modules/\n');
  put('node_modules/lib/index.js');
  put('node_modules/lib/.gitignore', 'dist/\n');
  put('node_modules/lib/dist/bundle.js');
  assert.equal(await walk(['node_modules']), ['node_modules/lib/.gitignore', 'node_modules/lib/index.js']);
});

test('symbolic links inside a walk are not followed, so a link loop ends', async () => {
  put('real/a.js');
  symlinkSync(join(root, 'real'), join(root, 'real', 'loop'));
  symlinkSync(join(root, 'real', 'a.js'), join(root, 'link.js'));
  assert.equal(await walk(), ['real/a.js']);
});

test('a missing path is reported as skipped, not thrown', async () => {
  const r = await walkPaths({ paths: ['nope'], cwd: root });
  assert.equal(r.files, []);
  assert.is(r.skipped.length, 1);
  assert.match(r.skipped[0]!.reason, /does not exist/);
});

test('the blocking walk lets the event loop run while it reads a large tree', async () => {
  for (let d = 0; d < 2000; d++) put(`d${d}/a.js`);
  let ticks = 0;
  let walking = true;
  const tick = (): void => {
    ticks++;
    if (walking) setImmediate(tick);
  };
  setImmediate(tick);
  // Ticks counted between the first file found and the last: the reading itself, not the set-up before it.
  let first = -1;
  let last = -1;
  let found = 0;
  const onFile = (): void => {
    if (first < 0) first = ticks;
    last = ticks;
    found++;
  };
  const r = await walkPaths({ paths: ['.'], cwd: root, blocking: true, onFile });
  walking = false;
  assert.is(found, 2000);
  assert.equal(r.files, [], 'streamed, not listed');
  assert.ok(last - first > 1, `the event loop ran ${last - first} times while the tree was read`);
});

test('the same file named twice is scanned once', async () => {
  put('a.js');
  assert.equal(await walk(['a.js', '.', './a.js']), ['a.js']);
});

test.run();
