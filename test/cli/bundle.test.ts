// What the build leaves in dist/ for a quick start: the YAML library (about 200 KB of code) apart, loaded only
// when a workflow file is analysed (no start-up chunk holds it, and workflows still get their CI findings,
// in-process and on worker threads, whose one-file CommonJS bundle finds the prebuilt trigger tables next to
// it); and the language server's protocol library bundled into one file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CLI, shippi, tempTree } from './helpers.js';

const dist = dirname(CLI);
const WORKFLOW = 'on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';

test('only dist/yaml.cjs holds the YAML library', () => {
  const holders = readdirSync(dist).filter((f) => /\.(?:c?js)$/.test(f) && readFileSync(join(dist, f), 'utf8').includes('YAMLParseError'));
  assert.equal(holders, ['yaml.cjs']);
});

test('the language server protocol library is bundled into one file the server can load', () => {
  const lsp = createRequire(import.meta.url)(join(dist, 'lsp-protocol.cjs')) as typeof import('vscode-languageserver/node');
  assert.type(lsp.createConnection, 'function');
  assert.type(lsp.ProposedFeatures.all, 'object');
  assert.is(lsp.DiagnosticSeverity.Error, 1);
});

test('workflows get their CI findings from the bundle, in-process and on worker threads', () => {
  const t = tempTree();
  try {
    t.put('.github/workflows/ci.yml', WORKFLOW);
    const single = shippi(t.root, ['scan', '.github/workflows/ci.yml', '--format', 'json']);
    assert.equal(JSON.parse(single.stdout).findings.map((f: { ruleId: string }) => f.ruleId), ['ci.script-injection'], single.stderr);
    // Enough files for the worker pool.
    for (let i = 0; i < 80; i++) t.put(`src/f${i}.js`, 'export const x = 1;\n');
    const tree = shippi(t.root, ['scan', '.', '--format', 'json'], { SHIPPI_DEBUG: '1' });
    assert.equal(JSON.parse(tree.stdout).findings.map((f: { ruleId: string }) => f.ruleId), ['ci.script-injection'], tree.stderr);
    // The worker bundle found the prebuilt automata next to it.
    assert.not.match(tree.stderr, /trigger tables not used/);
  } finally {
    t.cleanup();
  }
});

test.run();
