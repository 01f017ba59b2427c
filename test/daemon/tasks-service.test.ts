import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { createMemoryStore } from '../../daemon/store/index.js';
import type { EncryptedStore } from '../../daemon/store/types.js';
import { MemoryAudit } from './server-harness.js';
import { redactSecretsInText } from '../../daemon/tasks/redact-prompt.js';
import { analyze } from '../../server/engine/index.js';
import { BASE32, rand, seed } from '../engine/secrets-tokens.js';
import { createTaskService, canonicalJson, type TaskService } from '../../daemon/tasks/service.js';
import { TRANSITIONS } from '../../daemon/tasks/status.js';
import { DaemonError, TaskStatus } from '../../daemon/protocol/index.js';

async function fresh(): Promise<{ store: EncryptedStore; audit: MemoryAudit; tasks: TaskService }> {
  const store = createMemoryStore();
  const audit = new MemoryAudit();
  return { store, audit, tasks: await createTaskService({ store, audit }) };
}

async function dump(store: EncryptedStore): Promise<string> {
  const out: unknown[] = [];
  for (const ns of ['tasks', 'task-status', 'task-file']) for await (const entry of store.list(ns)) out.push([ns, ...entry]);
  return JSON.stringify(out);
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof DaemonError ? err.code : `not a DaemonError: ${String(err)}`;
  }
}

test('only the documented status transitions are legal', async () => {
  assert.equal(TRANSITIONS, {
    open: ['running', 'failed'],
    running: ['proposed', 'failed'],
    proposed: ['applied', 'rejected'],
    applied: ['rolled-back'],
    rejected: [],
    failed: [],
    'rolled-back': [],
  });
  const { tasks } = await fresh();
  // Walk every (from, to) pair from a task brought to `from` along a legal path.
  const pathTo: Record<string, string[]> = {
    open: [], running: ['running'], proposed: ['running', 'proposed'], applied: ['running', 'proposed', 'applied'],
    rejected: ['running', 'proposed', 'rejected'], failed: ['failed'], 'rolled-back': ['running', 'proposed', 'applied', 'rolled-back'],
  };
  for (const from of TaskStatus.options) {
    for (const to of TaskStatus.options) {
      const t = await tasks.create({ title: `${from}->${to}`, kind: 'fix' }, 'k_test');
      for (const step of pathTo[from]!) await tasks.updateStatus(t.id, { status: step as TaskStatus }, 'k_test');
      const code = await codeOf(tasks.updateStatus(t.id, { status: to }, 'k_test'));
      assert.is(code === undefined, TRANSITIONS[from].includes(to), `${from} → ${to}: ${code ?? 'ok'}`);
    }
  }
});

test('history records every change with its actor, and compare-and-set refuses a stale from', async () => {
  const { tasks } = await fresh();
  const t = await tasks.create({ title: 'fix sql', kind: 'fix', files: [{ path: 'src/db.ts', line: 3 }] }, 'k_alice');
  await tasks.updateStatus(t.id, { status: 'running' }, 'k_bob');
  assert.is(await codeOf(tasks.updateStatus(t.id, { status: 'proposed', from: 'open' }, 'k_bob')), 'CONFLICT');
  const edit = { path: 'src/db.ts', edits: [{ start: 0, end: 3, newText: 'let' }] };
  const done = await tasks.updateStatus(t.id, { status: 'proposed', from: 'running', edit, response: 'use a parameter', note: 'model answered' }, 'k_bob');
  assert.equal(done.history.map((h) => [h.from, h.to, h.actor]), [[null, 'open', 'k_alice'], ['open', 'running', 'k_bob'], ['running', 'proposed', 'k_bob']]);
  assert.equal(done.edit, edit);
  assert.equal(await tasks.get(t.id), done);
});

test('indexes by status and by file follow every change, in the same batch as the record', async () => {
  const { store, tasks } = await fresh();
  const a = await tasks.create({ title: 'a', kind: 'fix', files: [{ path: 'src/a.ts' }, { path: 'src/shared.ts' }] }, 'k');
  const b = await tasks.create({ title: 'b', kind: 'review', files: [{ path: 'src/shared.ts' }] }, 'k');
  await tasks.updateStatus(b.id, { status: 'running' }, 'k');
  const ids = async (q: Parameters<TaskService['list']>[0]) => (await tasks.list(q)).tasks.map((t) => t.id).sort();
  assert.equal(await ids({ status: 'open' }), [a.id]);
  assert.equal(await ids({ status: 'running' }), [b.id]);
  assert.equal(await ids({ file: 'src/shared.ts' }), [a.id, b.id].sort());
  assert.equal(await ids({ file: 'src/shared.ts', status: 'running' }), [b.id]);
  assert.equal(await ids({ file: 'nope.ts' }), []);
  assert.equal(await ids({}), [a.id, b.id].sort());
  // Index keys do not carry file names.
  const keys: string[] = [];
  for await (const [id] of store.list('task-file')) keys.push(id);
  assert.is(keys.length, 3);
  assert.not.ok(keys.some((k) => k.includes('shared') || k.includes('src')));
  // Every store write of a change is a single batch (record + index together).
  let batches = 0;
  let puts = 0;
  const counting: EncryptedStore = { ...store, get: store.get.bind(store), list: store.list.bind(store), batch: (ops) => (batches++, store.batch(ops)), put: (...args) => (puts++, store.put(...args)) };
  const counted = await createTaskService({ store: counting, audit: new MemoryAudit() });
  batches = 0;
  puts = 0;
  await counted.updateStatus(a.id, { status: 'failed' }, 'k');
  assert.is(batches, 1);
  assert.is(puts, 0);
});

test('delete returns a receipt whose hash is the final record, audits it, and leaves no index entry', async () => {
  const { store, audit, tasks } = await fresh();
  const t = await tasks.create({ title: 'gone', kind: 'chat', files: [{ path: 'x.ts' }] }, 'k');
  const final = await tasks.get(t.id);
  const receipt = await tasks.remove(t.id, 'k_del');
  assert.is(receipt.recordSha256, createHash('sha256').update(canonicalJson(final)).digest('hex'));
  const entry = audit.entries.find((e) => e.seq === receipt.auditSeq)!;
  assert.is(entry.type, 'task.deleted');
  assert.is(entry.detail['recordSha256'], receipt.recordSha256);
  assert.is(await codeOf(tasks.get(t.id)), 'NOT_FOUND');
  assert.is(await dump(store), '[]');
});

test('when the audit log cannot be written, task changes are refused and nothing changes', async () => {
  const { store, audit, tasks } = await fresh();
  const t = await tasks.create({ title: 'x', kind: 'fix', files: [{ path: 'a.ts' }] }, 'k');
  const before = await dump(store);
  audit.failing = true;
  assert.is(await codeOf(tasks.create({ title: 'y', kind: 'fix' }, 'k')), 'AUDIT_UNAVAILABLE');
  assert.is(await codeOf(tasks.updateStatus(t.id, { status: 'running' }, 'k')), 'AUDIT_UNAVAILABLE');
  assert.is(await codeOf(tasks.remove(t.id, 'k')), 'AUDIT_UNAVAILABLE');
  assert.is(await dump(store), before);
});

test('concurrent updates of one task are serialised: exactly one of two racing transitions wins', async () => {
  const { tasks } = await fresh();
  const t = await tasks.create({ title: 'race', kind: 'fix' }, 'k');
  const results = await Promise.allSettled([
    tasks.updateStatus(t.id, { status: 'running', from: 'open' }, 'k1'),
    tasks.updateStatus(t.id, { status: 'failed', from: 'open' }, 'k2'),
  ]);
  assert.equal(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  assert.is((await tasks.get(t.id)).history.length, 2);
});

test('reads that overlap writes never leave a stale record behind (read cache)', async () => {
  const { store, audit, tasks: first } = await fresh();
  const t = await first.create({ title: 'cache', kind: 'fix' }, 'k');
  const steps: TaskStatus[] = ['running', 'proposed', 'applied', 'rolled-back'];
  for (const status of steps) {
    // A fresh service has an empty cache; its first read sees the old record but answers only after the
    // update has been written (as a LevelDB read from a snapshot can).
    let slowNext = true;
    const slow: EncryptedStore = {
      ...store, list: store.list.bind(store), batch: store.batch.bind(store), put: store.put.bind(store),
      get: async <T,>(ns: string, id: string) => {
        const value = await store.get<T>(ns, id);
        if (ns === 'tasks' && slowNext) {
          slowNext = false;
          await new Promise((r) => setTimeout(r, 30));
        }
        return value;
      },
    };
    const tasks = await createTaskService({ store: slow, audit });
    await Promise.all([tasks.get(t.id), tasks.updateStatus(t.id, { status }, 'k')]);
    assert.is((await tasks.get(t.id)).status, status);
  }
  const tasks = await createTaskService({ store, audit });
  await Promise.all([tasks.get(t.id), tasks.remove(t.id, 'k'), tasks.get(t.id).catch(() => undefined)]);
  assert.is(await codeOf(tasks.get(t.id)), 'NOT_FOUND');
});

test('secrets in a prompt never reach the store', async () => {
  const { store, tasks } = await fresh();
  const key = 'AKIA' + 'Z7QHX2MVR4LPD3KW';
  const t = await tasks.create({ title: 'explain', kind: 'explain', prompt: `why does this fail? const k = "${key}"` }, 'k');
  assert.ok(t.prompt!.includes('[REDACTED secret.'), 'the prompt carries a redaction marker');
  assert.not.ok((await dump(store)).includes(key), 'the stored task does not contain the key');
});

test('a prompt with more secrets than the engine reports in one pass is still redacted whole', () => {
  // Random AWS key ids the engine recognises (checked in batches under its per-text cap), over 10,000 of them.
  seed(7);
  const line = (k: string): string => `aws_access_key_id = ${k}`;
  const found = (keys: string[]): string[] => {
    const text = keys.map(line).join('\n');
    const spans = analyze(text, { path: 'prompt.txt', config: { only: ['secret'] } }).findings.map((f) => text.slice(f.start, f.end));
    return keys.filter((k) => spans.some((sp) => sp.includes(k)));
  };
  const keys: string[] = [];
  for (let batch = 0; batch < 6; batch++) keys.push(...found(Array.from({ length: 2000 }, () => `AKIA${rand(16, BASE32)}`)));
  assert.ok(keys.length > 10_000, `${keys.length} keys`);
  const text = keys.map(line).join('\n');
  assert.ok(analyze(text, { path: 'prompt.txt', config: { only: ['secret'] } }).notes.some((n) => n.kind === 'skipped'), 'one pass holds some back');
  const out = redactSecretsInText(text);
  assert.is(out.split('[REDACTED secret.').length - 1, keys.length);
  assert.not.ok(keys.some((k) => out.includes(k)), 'no key survives');
});

test.run();
