import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateDir, readSecretFile, stateDir, writeSecretFile } from '../../daemon/state.js';

const root = mkdtempSync(join(tmpdir(), 'shippi-state-'));
const mode = (path: string) => statSync(path).mode & 0o777;
const stateModule = new URL('../../daemon/state.ts', import.meta.url).pathname;

test.after(() => rmSync(root, { recursive: true, force: true }));

test('stateDir prefers SHIPPI_HOME, then XDG_STATE_HOME/shippi, then ~/.local/state/shippi', () => {
  assert.is(stateDir({ SHIPPI_HOME: '/a/b', XDG_STATE_HOME: '/x', HOME: '/h' }), '/a/b');
  assert.is(stateDir({ XDG_STATE_HOME: '/x', HOME: '/h' }), '/x/shippi');
  assert.is(stateDir({ HOME: '/h' }), '/h/.local/state/shippi');
  assert.is(stateDir({ SHIPPI_HOME: '', XDG_STATE_HOME: '', HOME: '/h' }), '/h/.local/state/shippi');
});

test('under umask 000 the state dir is created 0700 and secret files 0600', () => {
  const dir = join(root, 'umask0', 'nested', 'state');
  const script = join(root, 'umask0.mts');
  writeFileSync(script, `
    import { ensureStateDir, writeSecretFile } from ${JSON.stringify(stateModule)};
    process.umask(0);
    await ensureStateDir(${JSON.stringify(dir)});
    await writeSecretFile(${JSON.stringify(join(dir, 'owner.token'))}, 'x');
  `);
  execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'pipe' });
  assert.is(mode(dir), 0o700);
  assert.is(mode(join(dir, 'owner.token')), 0o600);
});

test('an existing world-readable state dir is tightened to 0700', async () => {
  const dir = join(root, 'loose');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  await ensureStateDir(dir);
  assert.is(mode(dir), 0o700);
});

test('a state dir path that is a file is refused with a message naming it', async () => {
  const file = join(root, 'not-a-dir');
  writeFileSync(file, '');
  try {
    await ensureStateDir(file);
    assert.unreachable('should refuse');
  } catch (err) {
    assert.match(String((err as Error).message), file);
  }
});

test('writeSecretFile replaces a pre-existing 0644 file with a 0600 one holding the new bytes', async () => {
  const dir = join(root, 'replace');
  await ensureStateDir(dir);
  const path = join(dir, 'daemon.json');
  writeFileSync(path, 'old contents');
  chmodSync(path, 0o644);
  await writeSecretFile(path, '{"pid":1}');
  assert.is(mode(path), 0o600);
  assert.is((await readSecretFile(path))!.toString(), '{"pid":1}');
  assert.equal(readdirSync(dir), ['daemon.json'], 'no temp file is left behind');
});

test('readSecretFile reads bytes back and returns undefined for a missing file', async () => {
  const dir = join(root, 'read');
  await ensureStateDir(dir);
  await writeSecretFile(join(dir, 'key'), new Uint8Array([0, 1, 255]));
  assert.equal([...(await readSecretFile(join(dir, 'key')))!], [0, 1, 255]);
  assert.is(await readSecretFile(join(dir, 'nope')), undefined);
});

test.run();
