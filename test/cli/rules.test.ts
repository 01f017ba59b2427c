import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES } from '../../server/engine/index.js';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, shippi } from './helpers.js';

const cwd = new URL('../../', import.meta.url).pathname;

test('shippi rules lists every rule with its severity', () => {
  const r = shippi(cwd, ['rules']);
  assert.is(r.code, 0);
  for (const rule of ALL_RULES) assert.match(r.stdout, new RegExp(`^${rule.id.replace(/\./g, '\\.')}\\s+${rule.severity}\\s+`, 'm'));
});

test('shippi rules ID shows the rule documentation, with hidden characters escaped', () => {
  const r = shippi(cwd, ['rules', 'unicode.bidi-control']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^unicode\.bidi-control — /);
  assert.match(r.stdout, /CWE: CWE-451/);
  assert.match(r.stdout, /OWASP: A04:2021/);
  assert.match(r.stdout, /\nFix: /);
  assert.match(r.stdout, /\\u\{202E\}/);
  assert.not.match(r.stdout, /\u202E/);
});

test('shippi rules --format json gives the registry metadata with a docs link', () => {
  const rules = JSON.parse(shippi(cwd, ['rules', '--format', 'json']).stdout);
  assert.equal(rules.map((r: { id: string }) => r.id), ALL_RULES.map((r) => r.id));
  assert.ok(rules.every((r: { helpUri: string; cwe: unknown[] }) => r.helpUri.includes('#') && Array.isArray(r.cwe)));
});

test('an unknown rule id or format exits 2 with a message', () => {
  const unknown = shippi(cwd, ['rules', 'unicode.nope']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule 'unicode\.nope'/);
  const format = shippi(cwd, ['rules', '--format', 'pdf']);
  assert.is(format.code, 2);
  assert.match(format.stderr, /--format must be one of text, json, markdown/);
});

test('output into a pipe that closes early (| head) ends quietly, without a stack trace', async () => {
  const child = spawn(process.execPath, [CLI, 'rules', '--format', 'markdown'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.is(stderr, '');
  assert.is(code, 0);
});

test('every command writes its output through the guarded writer (a closed pipe never becomes a stack trace)', () => {
  const dir = new URL('../../clients/cli/', import.meta.url);
  const direct = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && f !== join('output', 'stdout.ts'))
    .filter((f) => /process\.stdout\.write\(/.test(readFileSync(new URL(f, dir), 'utf8')));
  assert.equal(direct, []);
});

test.run();
