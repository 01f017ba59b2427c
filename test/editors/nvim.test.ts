/**
 * Real headless Neovim with the Shippi plugin (clients/nvim): diagnostics arrive with the right codes, and a
 * quick fix applied through Neovim removes the finding. Skipped (counted) when `nvim` is not installed.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, ROOT } from '../lsp/harness.js';
import { onPath, plantedJs, type Planted } from './planted.js';
import { editorScenario, type Editor } from './scenario.js';

const available = onPath('nvim');
const run = available ? test : test.skip;
if (!available) console.log('skipping Neovim tests: nvim is not installed (apt-get install neovim)');

const EDITOR: Editor = {
  name: 'Neovim',
  argv: ['nvim', '--headless', '--clean', '-u', join(ROOT, 'test/editors/nvim/test-init.lua')],
  timeoutMs: 60_000,
  env: { SHIPPI_NVIM_DIR: join(ROOT, 'clients/nvim') },
};

/** Run the driver's scenario on the planted file. */
const scenario = (planted: Planted, settings?: object) => editorScenario(EDITOR, planted, settings);

run('Neovim shows Shippi diagnostics with rule codes and a quick fix applied in Neovim removes the finding', async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  const planted = plantedJs();
  const { result, output } = await scenario(planted);
  assert.equal(result.steps, ['opened:javascript', 'applied'], output);
  assert.equal(result.before, [...planted.expect].sort());
  assert.is(result.fixed, true);
  assert.equal(result.after, planted.expect.filter((c) => c !== planted.fixCode).sort());
  // Booleans, so a failure never prints the secret.
  assert.is(result.text.includes(planted.secret), false, 'the buffer no longer holds the secret');
  assert.is(planted.text.split('\n').slice(1).every((line: string) => result.text.includes(line)), true, 'the rest of the file is untouched');
});

run('settings given to setup() reach the server: a rule turned off there is not shown', async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  const full = plantedJs();
  const planted = { ...full, expect: full.expect.filter((c) => c !== 'injection.sql') };
  const { result, output } = await scenario(planted, { rules: { 'injection.sql': 'off' } });
  assert.equal(result.steps, ['opened:javascript', 'applied'], output);
  assert.equal(result.before, [...planted.expect].sort());
});

test.run();
