/**
 * Runs a real editor on a planted file: the editor's driver script (Lua for Neovim, Elisp for Emacs) opens the
 * file with Shippi's client, records the diagnostics, applies a quick fix, and writes result.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { CLI } from '../lsp/harness.js';
import { tempWorkspace } from '../lsp/util.js';
import type { Planted } from './planted.js';

/** How to start one editor with its driver, and what to call it in messages. */
export interface Editor {
  readonly name: string;
  readonly argv: readonly [string, ...string[]];
  readonly timeoutMs: number;
  /** Extra environment for the driver (e.g. where the client plugin lives). */
  readonly env: Readonly<Record<string, string>>;
}

/** Run the editor until it exits (or kill it at the timeout); resolves with its output for failure messages. */
function runEditor(editor: Editor, env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const [command, ...args] = editor.argv;
    const child = spawn(command, args, { cwd, env: { ...process.env, ...editor.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[${editor.name} killed after timeout]`;
      child.kill('SIGKILL');
    }, editor.timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

/** Run the driver's scenario on the planted file in a fresh workspace; returns its result and the editor's output. */
export async function editorScenario(editor: Editor, planted: Planted, settings?: object): Promise<{ result: any; output: string }> {
  const ws = tempWorkspace();
  try {
    mkdirSync(join(ws.dir, '.git'));
    const target = join(ws.dir, planted.name);
    writeFileSync(target, planted.text);
    const resultPath = join(ws.dir, 'result.json');
    const output = await runEditor(editor, {
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
      assert.unreachable(`${editor.name} wrote no result; its output:\n${output}`);
    }
    assert.is(result.error, undefined, `${editor.name} error: ${result.error}\n${output}`);
    return { result, output };
  } finally {
    ws.cleanup();
  }
}
