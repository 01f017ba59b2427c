/**
 * One conformance suite for every EncryptedStore implementation (the abstract-level model): each
 * implementation's `.test.ts` calls `storeConformance` with a harness and runs the suite.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EncryptedStore } from '../../daemon/store/types.js';
import { StoreError } from '../../daemon/store/types.js';

/** How the suite gets stores: a fresh one per test, and (if the store persists) a reopen of the same one. */
export interface StoreHarness {
  /** A new, empty store. */
  fresh(): Promise<EncryptedStore>;
  /** Close `store` and open the same data again; omit for stores that do not persist. */
  reopen?(store: EncryptedStore): Promise<EncryptedStore>;
  /** Remove everything the harness created. */
  cleanup(): Promise<void>;
}

async function collect<T>(it: AsyncIterable<[string, T]>): Promise<Array<[string, T]>> {
  const out: Array<[string, T]> = [];
  for await (const entry of it) out.push(entry);
  return out;
}

async function rejectsWith(p: Promise<unknown>, check: (err: unknown) => boolean, what: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(check(err), `${what}: unexpected error ${String(err)}`);
    return;
  }
  assert.unreachable(`${what}: should have rejected`);
}

const isCode = (code: string) => (err: unknown) => err instanceof StoreError && err.code === code;

/** Build the conformance suite for one implementation. */
export function storeConformance(name: string, harness: StoreHarness) {
  const test = suite<{ store: EncryptedStore }>(`EncryptedStore conformance: ${name}`, { store: undefined as never });
  test.before.each(async (ctx) => {
    ctx.store = await harness.fresh();
  });
  test.after.each(async (ctx) => {
    await ctx.store.close();
  });
  test.after(() => harness.cleanup());

  test('a value put is read back equal; a missing key reads undefined', async ({ store }) => {
    const task = { title: 'fix it', tags: ['a', 'b'], n: 3, nested: { ok: true, none: null } };
    await store.put('tasks', 't1', task);
    assert.equal(await store.get('tasks', 't1'), task);
    assert.is(await store.get('tasks', 'missing'), undefined);
    assert.is(await store.get('other', 't1'), undefined);
  });

  test('many concurrent reads each get their own record, or undefined', async ({ store }) => {
    await store.batch(Array.from({ length: 100 }, (_, i) => ({ type: 'put' as const, ns: 'tasks', id: `c${i}`, value: { i } })));
    const ids = Array.from({ length: 300 }, (_, i) => `c${(i * 37) % 150}`); // ids c100..c149 are missing
    const got = await Promise.all(ids.map((id) => store.get<{ i: number }>('tasks', id)));
    assert.equal(got.map((v) => v?.i), ids.map((id) => (Number(id.slice(1)) < 100 ? Number(id.slice(1)) : undefined)));
  });

  test('put overwrites, del removes, and deleting a missing key is fine', async ({ store }) => {
    await store.put('tasks', 't1', 1);
    await store.put('tasks', 't1', 2);
    assert.is(await store.get('tasks', 't1'), 2);
    await store.del('tasks', 't1');
    assert.is(await store.get('tasks', 't1'), undefined);
    await store.del('tasks', 'never-there');
  });

  test('values are copies: mutating what was put or got does not change the store', async ({ store }) => {
    const value = { list: [1] };
    await store.put('tasks', 'v', value);
    value.list.push(2);
    const got = await store.get<{ list: number[] }>('tasks', 'v');
    got!.list.push(3);
    assert.equal(await store.get('tasks', 'v'), { list: [1] });
  });

  test('batch applies puts and deletes across namespaces together', async ({ store }) => {
    await store.put('idx', 'old', 'x');
    await store.batch([
      { type: 'put', ns: 'tasks', id: 'a', value: { s: 'open' } },
      { type: 'put', ns: 'idx', id: 'open:a', value: 'a' },
      { type: 'del', ns: 'idx', id: 'old' },
    ]);
    assert.equal(await store.get('tasks', 'a'), { s: 'open' });
    assert.is(await store.get('idx', 'open:a'), 'a');
    assert.is(await store.get('idx', 'old'), undefined);
  });

  test('a batch with one invalid operation applies none of them', async ({ store }) => {
    await rejectsWith(store.batch([
      { type: 'put', ns: 'tasks', id: 'a', value: 1 },
      { type: 'put', ns: 'tasks', id: 'b', value: undefined },
    ]), (e) => e instanceof TypeError, 'undefined value');
    await rejectsWith(store.batch([
      { type: 'put', ns: 'tasks', id: 'a', value: 1 },
      { type: 'put', ns: 'Bad NS', id: 'b', value: 2 },
    ]), (e) => e instanceof TypeError, 'bad namespace');
    assert.is(await store.get('tasks', 'a'), undefined);
  });

  test('bad namespaces and ids are TypeErrors', async ({ store }) => {
    await rejectsWith(store.put('', 'a', 1), (e) => e instanceof TypeError, 'empty namespace');
    await rejectsWith(store.put('a\0b', 'a', 1), (e) => e instanceof TypeError, 'NUL in namespace');
    await rejectsWith(store.get('tasks', ''), (e) => e instanceof TypeError, 'empty id');
    await rejectsWith(store.get('tasks', 'a\0b'), (e) => e instanceof TypeError, 'NUL in id');
    await rejectsWith(store.put('tasks', 'x'.repeat(600), 1), (e) => e instanceof TypeError, 'id too long');
  });

  test('list yields one namespace in id order, honouring gte, lt, limit and reverse', async ({ store }) => {
    const ids = ['b', 'a', 'd', 'c', 'e'];
    await store.batch(ids.map((id) => ({ type: 'put' as const, ns: 'tasks', id, value: id.toUpperCase() })));
    // Neighbouring namespaces, one a prefix of the other, must not leak into the listing.
    await store.put('task', 'z', 'no');
    await store.put('tasks2', 'a', 'no');
    assert.equal(await collect(store.list('tasks')), [['a', 'A'], ['b', 'B'], ['c', 'C'], ['d', 'D'], ['e', 'E']]);
    assert.equal((await collect(store.list('tasks', { gte: 'b', lt: 'd' }))).map(([id]) => id), ['b', 'c']);
    assert.equal((await collect(store.list('tasks', { limit: 2 }))).map(([id]) => id), ['a', 'b']);
    assert.equal((await collect(store.list('tasks', { reverse: true, limit: 2 }))).map(([id]) => id), ['e', 'd']);
    assert.equal(await collect(store.list('tasks', { limit: 0 })), []);
    assert.equal(await collect(store.list('empty')), []);
  });

  test('list orders ids by UTF-8 bytes, the same in every implementation', async ({ store }) => {
    const ids = ['\u{1F600}', '\uFFFD', 'Z', 'a', '\u00e9'];
    for (const id of ids) await store.put('u', id, id);
    const sorted = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.equal((await collect(store.list('u'))).map(([id]) => id), sorted);
  });

  test('breaking out of a listing early is clean and the store stays usable', async ({ store }) => {
    for (let i = 0; i < 20; i++) await store.put('tasks', `t${String(i).padStart(2, '0')}`, i);
    let seen = 0;
    for await (const _ of store.list('tasks')) if (++seen === 3) break;
    assert.is(seen, 3);
    await store.put('tasks', 'after', true);
    assert.is(await store.get('tasks', 'after'), true);
  });

  test('rotate keeps every record readable and unchanged', async ({ store }) => {
    const records = Array.from({ length: 30 }, (_, i) => ({ type: 'put' as const, ns: i % 2 ? 'tasks' : 'idx', id: `r${i}`, value: { i } }));
    await store.batch(records);
    const result = await store.rotate();
    assert.ok(result.reencrypted >= 0);
    for (const r of records) assert.equal(await store.get(r.ns, r.id), { i: (r.value as { i: number }).i });
    await store.put('tasks', 'new', 'after rotation');
    assert.is(await store.get('tasks', 'new'), 'after rotation');
  });

  test('writes accepted before close complete before it returns', async ({ store }) => {
    const writes = Array.from({ length: 20 }, (_, i) => store.put('tasks', `w${i}`, i));
    await store.close();
    const results = await Promise.allSettled(writes);
    assert.equal(results.map((r) => r.status), results.map(() => 'fulfilled'));
  });

  test('after close every operation fails with STORE_CLOSED', async ({ store }) => {
    await store.put('tasks', 'a', 1);
    await store.close();
    await rejectsWith(store.get('tasks', 'a'), isCode('STORE_CLOSED'), 'get');
    await rejectsWith(store.put('tasks', 'a', 1), isCode('STORE_CLOSED'), 'put');
    await rejectsWith(store.batch([{ type: 'del', ns: 'tasks', id: 'a' }]), isCode('STORE_CLOSED'), 'batch');
    await rejectsWith(collect(store.list('tasks')), isCode('STORE_CLOSED'), 'list');
    await rejectsWith(store.rotate(), isCode('STORE_CLOSED'), 'rotate');
    await store.close(); // idempotent
  });

  if (harness.reopen) {
    const reopen = harness.reopen;
    test('records survive close and reopen, rotated or not', async (ctx) => {
      await ctx.store.batch(Array.from({ length: 10 }, (_, i) => ({ type: 'put' as const, ns: 'tasks', id: `t${i}`, value: { i } })));
      ctx.store = await reopen(ctx.store);
      assert.equal(await ctx.store.get('tasks', 't7'), { i: 7 });
      await ctx.store.rotate();
      await ctx.store.del('tasks', 't0');
      ctx.store = await reopen(ctx.store);
      assert.is(await ctx.store.get('tasks', 't0'), undefined);
      assert.equal((await collect(ctx.store.list('tasks'))).length, 9);
      assert.equal(await ctx.store.get('tasks', 't9'), { i: 9 });
    });
  }

  return test;
}
