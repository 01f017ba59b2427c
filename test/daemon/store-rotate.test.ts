import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type EncryptedStore } from '../../daemon/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'shippi-rotate-'));
let n = 0;
const freshDir = () => join(root, `r${++n}`);
test.after(() => rmSync(root, { recursive: true, force: true }));

const COUNT = 100;
const value = (i: number) => ({ i, body: `task ${i} `.repeat(20) });

async function seed(dir: string): Promise<void> {
  const { store } = await openStore({ dir });
  await store.batch(Array.from({ length: COUNT }, (_, i) => ({ type: 'put' as const, ns: i % 3 ? 'tasks' : 'idx', id: `k${String(i).padStart(3, '0')}`, value: value(i) })));
  await store.close();
}

async function assertAllIntact(store: EncryptedStore): Promise<void> {
  for (let i = 0; i < COUNT; i++) {
    assert.equal(await store.get(i % 3 ? 'tasks' : 'idx', `k${String(i).padStart(3, '0')}`), value(i), `record ${i}`);
  }
}

test('a rotation that fails between batches leaves every record readable, and the next rotate() finishes it', async () => {
  const dir = freshDir();
  await seed(dir);
  const { store } = await openStore({
    dir,
    rotateBatchSize: 10,
    beforeRotateBatch: (i) => { if (i === 3) throw new Error('simulated crash'); },
  });
  try {
    await store.rotate();
    assert.unreachable('rotation should have failed');
  } catch (err) {
    assert.match((err as Error).message, 'simulated crash');
  }
  assert.equal(store.keyStatus().rotationPending, true);
  assert.equal(store.keyStatus().keyIds, [1, 2]);
  await assertAllIntact(store); // mid-rotation: records under both keys
  await store.close();

  const again = await openStore({ dir, rotateBatchSize: 10 });
  assert.is(again.store.keyStatus().rotationPending, true, 'the interruption is remembered across reopen');
  await assertAllIntact(again.store);
  const { reencrypted } = await again.store.rotate();
  assert.is(reencrypted, COUNT - 30, 'resuming re-encrypts only what the first attempt did not');
  // The aborted batch sealed 10 records before failing: those nonces were used, so they stay counted.
  assert.equal(again.store.keyStatus(), { activeKeyId: 2, keyIds: [2], encryptions: COUNT + 10, rotationPending: false });
  await assertAllIntact(again.store);
  await again.store.close();
});

test('a process killed (SIGKILL) in the middle of a rotation loses nothing and the rotation resumes', async () => {
  const dir = freshDir();
  await seed(dir);
  const script = join(root, 'crash.mts');
  const mod = new URL('../../daemon/store/index.ts', import.meta.url).pathname;
  writeFileSync(script, `
    import { openStore } from ${JSON.stringify(mod)};
    const { store } = await openStore({ dir: ${JSON.stringify(dir)}, rotateBatchSize: 10,
      beforeRotateBatch: (i) => { if (i === 5) process.kill(process.pid, 'SIGKILL'); } });
    await store.rotate();
    console.log('rotation finished without being killed');
  `);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  assert.is(child.signal, 'SIGKILL', child.stdout + child.stderr);
  const { store } = await openStore({ dir, rotateBatchSize: 10 });
  assert.is(store.keyStatus().rotationPending, true);
  await assertAllIntact(store);
  const { reencrypted } = await store.rotate();
  assert.is(reencrypted, COUNT - 50);
  assert.equal(store.keyStatus().keyIds, [2]);
  await store.close();
  const reopened = await openStore({ dir });
  await assertAllIntact(reopened.store);
  await reopened.store.close();
});

test('writes made while a rotation runs are neither lost nor overwritten by it', async () => {
  const dir = freshDir();
  await seed(dir);
  const { store } = await openStore({ dir, rotateBatchSize: 5 });
  const rotation = store.rotate();
  const writes: Promise<void>[] = [];
  for (let i = 0; i < COUNT; i += 2) writes.push(store.put(i % 3 ? 'tasks' : 'idx', `k${String(i).padStart(3, '0')}`, { i, rewritten: true }));
  writes.push(store.del('tasks', 'k001'));
  await Promise.all([rotation, ...writes]);
  for (let i = 0; i < COUNT; i++) {
    const got = await store.get(i % 3 ? 'tasks' : 'idx', `k${String(i).padStart(3, '0')}`);
    if (i === 1) assert.is(got, undefined);
    else assert.equal(got, i % 2 === 0 ? { i, rewritten: true } : value(i), `record ${i}`);
  }
  assert.equal(store.keyStatus().keyIds, [2]);
  await store.close();
});

test('closing the store mid-rotation rejects the rotation with STORE_CLOSED and leaves it resumable', async () => {
  const dir = freshDir();
  await seed(dir);
  let release!: () => void;
  const paused = new Promise<void>((r) => (release = r));
  const { store } = await openStore({ dir, rotateBatchSize: 10, beforeRotateBatch: (i) => (i === 2 ? paused : undefined) });
  const rotation = store.rotate();
  await new Promise((r) => setTimeout(r, 50));
  const closing = store.close();
  release();
  await closing;
  try {
    await rotation;
    assert.unreachable('rotation should report the close');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'STORE_CLOSED');
  }
  const again = await openStore({ dir });
  assert.is(again.store.keyStatus().rotationPending, true);
  await assertAllIntact(again.store);
  assert.is((await again.store.rotate()).reencrypted, COUNT - 30);
  await again.store.close();
});

test('calling rotate() twice at once runs one rotation', async () => {
  const dir = freshDir();
  await seed(dir);
  const { store } = await openStore({ dir });
  const [a, b] = await Promise.all([store.rotate(), store.rotate()]);
  assert.is(a.reencrypted, COUNT);
  assert.is(b, a);
  assert.equal(store.keyStatus().keyIds, [2]);
  await store.close();
});

test.run();
