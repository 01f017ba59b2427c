/**
 * Real headless Neovim with the Shippi plugin (clients/nvim): diagnostics arrive with the right codes, and a
 * quick fix applied through Neovim removes the finding. Skipped (counted) when `nvim` is not installed.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, CLI, ROOT } from '../lsp/harness.js';
import { tempWorkspace } from '../lsp/util.js';
import { onPath, plantedJs, type Planted } from './planted.js';

const TIMEOUT_MS = 60_000;

/** Run nvim until it quits (or kill it at the timeout); resolves with its output for failure messages. */
function runNvim(env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('nvim', ['--headless', '--clean', '-u', join(ROOT, 'test/editors/nvim/test-init.lua')], {
      cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += '\n[nvim killed after timeout]';
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

const available = onPath('nvim');
const run = available ? test : test.skip;
if (!available) console.log('skipping Neovim tests: nvim is not installed (apt-get install neovim)');

/** Run the scenario in test-init.lua on the planted file; returns nvim's result and its output. */
async function scenario(planted: Planted, settings?: object): Promise<{ result: any; output: string }> {
  const ws = tempWorkspace();
  try {
    mkdirSync(join(ws.dir, '.git'));
    const target = join(ws.dir, planted.name);
    writeFileSync(target, planted.text);
    const resultPath = join(ws.dir, 'result.json');
    const output = await runNvim({
      SHIPPI_NVIM_DIR: join(ROOT, 'clients/nvim'),
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
      assert.unreachable(`Neovim wrote no result; its output:\n${output}`);
    }
    assert.is(result.error, undefined, `Lua error: ${result.error}\n${output}`);
    return { result, output };
  } finally {
    ws.cleanup();
  }
}

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
