/**
 * Real batch-mode Emacs with eglot and clients/emacs/shippi.el: diagnostics arrive with the right codes, and a
 * quick fix applied through eglot removes the finding. Skipped (counted) when `emacs` is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, CLI, ROOT } from '../lsp/harness.js';
import { tempWorkspace } from '../lsp/util.js';
import { onPath, plantedJs, type Planted } from './planted.js';

const TIMEOUT_MS = 90_000;

/** Run emacs until it exits (or kill it at the timeout); resolves with its output for failure messages. */
function runEmacs(env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('emacs', ['--batch', '-Q', '-l', join(ROOT, 'test/editors/emacs/test-driver.el')], {
      cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += '\n[emacs killed after timeout]';
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

const available = onPath('emacs');
const run = available ? test : test.skip;
if (!available) console.log('skipping Emacs tests: emacs is not installed (apt-get install emacs-nox elpa-eglot)');

/** Run the scenario in test-driver.el on the planted file; returns Emacs's result and its output. */
async function scenario(planted: Planted, settings?: object): Promise<{ result: any; output: string }> {
  const ws = tempWorkspace();
  try {
    mkdirSync(join(ws.dir, '.git'));
    const target = join(ws.dir, planted.name);
    writeFileSync(target, planted.text);
    const resultPath = join(ws.dir, 'result.json');
    const output = await runEmacs({
      SHIPPI_EMACS_DIR: join(ROOT, 'clients/emacs'),
      SHIPPI_CMD: JSON.stringify([process.execPath, CLI, 'lsp', '--stdio']),
      SHIPPI_TARGET: target,
      SHIPPI_EXPECT: JSON.stringify(planted.expect),
      SHIPPI_FIX_CODE: planted.fixCode,
      SHIPPI_RESULT: resultPath,
      ...(settings ? { SHIPPI_SETTINGS: JSON.stringify(settings) } : {}),
    }, ws.dir);
    let result: any;
    try {
      result = JSON.parse(readFileSync(resultPath, 'utf8'));
    } catch {
      assert.unreachable(`Emacs wrote no result; its output:\n${output}`);
    }
    assert.is(result.error, undefined, `Emacs error: ${result.error}\n${output}`);
    return { result, output };
  } finally {
    ws.cleanup();
  }
}

run('Emacs (eglot) shows Shippi diagnostics with rule codes and a quick fix applied through eglot removes the finding', async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  const planted = plantedJs();
  const { result, output } = await scenario(planted);
  assert.equal(result.steps, ['opened:js-mode', 'server:shippi-eglot-server', 'applied'], output);
  assert.equal(result.before, [...planted.expect].sort());
  assert.is(result.fixed, true);
  assert.equal(result.after, planted.expect.filter((c) => c !== planted.fixCode).sort());
  // Booleans, so a failure never prints the secret.
  assert.is(result.text.includes(planted.secret), false, 'the buffer no longer holds the secret');
  assert.is(planted.text.split('\n').slice(1).every((line: string) => result.text.includes(line)), true, 'the rest of the file is untouched');
});

run('shippi-initialization-options reach the server: a rule turned off there is not shown', async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  const full = plantedJs();
  const planted = { ...full, expect: full.expect.filter((c) => c !== 'injection.sql') };
  const { result, output } = await scenario(planted, { rules: { 'injection.sql': 'off' } });
  assert.equal(result.steps, ['opened:js-mode', 'server:shippi-eglot-server', 'applied'], output);
  assert.equal(result.before, [...planted.expect].sort());
});

run('shippi.el byte-compiles without a single warning', () => {
  const ws = tempWorkspace();
  try {
    copyFileSync(join(ROOT, 'clients/emacs/shippi.el'), join(ws.dir, 'shippi.el'));
    // Debian's elpa-eglot is not on the load path under -Q; Emacs 29+ has eglot built in.
    const elpa = '/usr/share/emacs/site-lisp/elpa';
    const dirs = existsSync(elpa) ? readdirSync(elpa).map((d) => join(elpa, d)) : [];
    const r = spawnSync('emacs', ['--batch', '-Q', ...dirs.flatMap((d) => ['-L', d]), '--eval', '(setq byte-compile-error-on-warn t)', '-f', 'batch-byte-compile', join(ws.dir, 'shippi.el')], { encoding: 'utf8', timeout: 60_000 });
    assert.is(r.status, 0, r.stderr);
  } finally {
    ws.cleanup();
  }
});

test.run();
