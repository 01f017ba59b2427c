/**
 * Real batch-mode Emacs with eglot and clients/emacs/shippi.el: diagnostics arrive with the right codes, and a
 * quick fix applied through eglot removes the finding. Skipped (counted) when `emacs` is not installed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, ROOT } from '../lsp/harness.js';
import { tempWorkspace } from '../lsp/util.js';
import { onPath, plantedJs, type Planted } from './planted.js';
import { editorScenario, type Editor } from './scenario.js';

const available = onPath('emacs');
const run = available ? test : test.skip;
if (!available) console.log('skipping Emacs tests: emacs is not installed (apt-get install emacs-nox elpa-eglot)');

const EDITOR: Editor = {
  name: 'Emacs',
  argv: ['emacs', '--batch', '-Q', '-l', join(ROOT, 'test/editors/emacs/test-driver.el')],
  timeoutMs: 90_000,
  env: { SHIPPI_EMACS_DIR: join(ROOT, 'clients/emacs') },
};

/** Run the driver's scenario on the planted file. */
const scenario = (planted: Planted, settings?: object) => editorScenario(EDITOR, planted, settings);

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
