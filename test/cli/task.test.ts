// `shippi task list|show` against a real daemon (started by the built CLI in a temp state directory).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task } from '../../daemon/protocol/index.js';
import { connectForCli } from '../../clients/cli/daemon-client.js';
import { checksummed } from '../engine/secrets-tokens.js';
import { shippi as run } from './helpers.js';

const home = mkdtempSync(join(tmpdir(), 'shippi-task-'));
const env = { SHIPPI_HOME: home, SHIPPI_PASSPHRASE: '', SHIPPI_TOKEN: '' };
const shippi = (args: string[], extra: Record<string, string> = {}) => run(home, args, { ...env, ...extra });
// A checksum-valid GitHub token, built at runtime so the repository's own scan stays clean.
const secret = checksummed('ghp_');
const hostileTitle = 'fix it\x1b[2J\x1b]0;owned\x07\u202e';
let plain: Task;
let hostile: Task;

test.before(async () => {
  delete process.env.SHIPPI_TOKEN;
  const started = shippi(['daemon', 'start']);
  assert.is(started.code, 0, started.stderr);
  const client = await connectForCli(home);
  try {
    plain = await client.request({ type: 'task.create', title: 'explain the login flow', kind: 'explain', files: [{ path: 'src/login.ts', line: 12 }], prompt: `why is ${secret} here?` });
    hostile = await client.request({ type: 'task.create', title: hostileTitle, kind: 'fix' });
    await client.request({ type: 'task.update', taskId: hostile.id, status: 'running' });
    hostile = await client.request({
      type: 'task.update', taskId: hostile.id, status: 'proposed', response: 'use textContent\n\x1b[1A\x1b[2Kapproved',
      edit: { path: 'src/view.ts', edits: [{ start: 3, end: 12, newText: 'textContent' }] },
    });
  } finally {
    await client.close();
  }
});
test.after(() => {
  shippi(['daemon', 'stop']);
  rmSync(home, { recursive: true, force: true });
});

test('task list: newest first, one line each, titles escaped for the terminal; --format json has them raw', () => {
  const r = shippi(['task', 'list']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.is(lines.length, 2, JSON.stringify(r.stdout));
  assert.match(lines[0]!, new RegExp(`^${hostile.id}  proposed +fix +\\S+  fix it\\\\x1b\\[2J\\\\x1b\\]0;owned\\\\x07\\\\u\\{202e\\}$`));
  assert.match(lines[1]!, new RegExp(`^${plain.id}  open +explain  \\S+  explain the login flow$`));
  assert.not.match(r.stdout, /[\x1b\x07\u202e]/);
  const json = JSON.parse(shippi(['task', 'list', '--format', 'json']).stdout) as { tasks: Task[] };
  assert.equal(json.tasks.map((t) => t.id), [hostile.id, plain.id]);
  assert.is(json.tasks[0]!.title, hostileTitle);
});

test('task list filters by --status and --file and honours --limit', () => {
  assert.equal(JSON.parse(shippi(['task', 'list', '--status', 'open', '--format', 'json']).stdout).tasks.map((t: Task) => t.id), [plain.id]);
  assert.equal(JSON.parse(shippi(['task', 'list', '--file', 'src/login.ts', '--format', 'json']).stdout).tasks.map((t: Task) => t.id), [plain.id]);
  assert.equal(JSON.parse(shippi(['task', 'list', '--limit', '1', '--format', 'json']).stdout).tasks.map((t: Task) => t.id), [hostile.id]);
  const none = shippi(['task', 'list', '--status', 'applied']);
  assert.is(none.code, 0);
  assert.is(none.stdout, '');
  assert.is(none.stderr, 'no tasks\n');
});

test('task show: the stored prompt (secret redacted), response, edit and history; json equals task.get', () => {
  const r = shippi(['task', 'show', plain.id]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `${plain.id}  explain the login flow\n  kind explain, status open\n`);
  assert.match(r.stdout, '  file src/login.ts:12\n');
  assert.match(r.stdout, /prompt \(as stored: secrets redacted\):\n  why is \[REDACTED secret\.github-token\] here\?\n/);
  assert.not.match(r.stdout, secret.slice(4));
  const h = shippi(['task', 'show', hostile.id]);
  assert.is(h.code, 0, h.stderr);
  assert.match(h.stdout, 'response:\n  use textContent\n  \\x1b[1A\\x1b[2Kapproved\n');
  assert.match(h.stdout, 'proposed edit to src/view.ts (1 change):\n  replace [3, 12) with "textContent"\n');
  assert.match(h.stdout, /history:\n  \S+  — +→ open .*\n  \S+  open +→ running .*\n  \S+  running +→ proposed /);
  assert.not.match(h.stdout, /[\x1b\x07\u202e]/);
  assert.equal(JSON.parse(shippi(['task', 'show', hostile.id, '--format', 'json']).stdout), hostile);
});

test('bad usage exits 2 naming the problem; an unknown task exits 1; no stack traces', () => {
  const cases: [string[], RegExp, number][] = [
    [['task', 'list', '--status', 'done'], /invalid --status 'done': expected one of open, running/, 2],
    [['task', 'list', '--limit', '0'], /invalid --limit '0': expected 1–10000/, 2],
    [['task', 'list', '--format', 'xml'], /invalid --format 'xml'/, 2],
    [['task', 'list', 'extra'], /unexpected argument 'extra'/, 2],
    [['task', 'list', '--colour'], /Unknown option '--colour'/, 2],
    [['task', 'show'], /give exactly one task id/, 2],
    [['task', 'show', 'nope\x1b[2J'], /invalid task id 'nope\\x1b\[2J': expected t_ and 24 hex digits/, 2],
    [['task', 'show', `t_${'0'.repeat(24)}`], /NOT_FOUND/, 1],
    [['task', 'frob'], /unknown subcommand 'frob'/, 2],
  ];
  for (const [args, message, code] of cases) {
    const r = shippi(args);
    assert.is(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.not.match(r.stderr, /\n\s+at /);
    assert.not.match(r.stderr, /\x1b/);
  }
});

test('a viewer token may list tasks; without a daemon the command says so (exit 3)', async () => {
  const made = JSON.parse(shippi(['token', 'create', '--role', 'viewer', '--format', 'json']).stdout) as { token: string };
  const asViewer = shippi(['task', 'list', '--format', 'json'], { SHIPPI_TOKEN: made.token });
  assert.is(asViewer.code, 0, asViewer.stderr);
  assert.is(JSON.parse(asViewer.stdout).tasks.length, 2);
  assert.is(shippi(['daemon', 'stop']).code, 0);
  const r = shippi(['task', 'list']);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /not running/);
});

test.run();
