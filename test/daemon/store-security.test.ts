import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { openStore, StoreError, unlockAuditKey } from '../../daemon/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'shippi-storesec-'));
let n = 0;
const freshDir = () => join(root, `s${++n}`);
test.after(() => rmSync(root, { recursive: true, force: true }));

/** Open the raw LevelDB under a closed store, to play the attacker with disk access. */
async function raw<T>(dir: string, fn: (db: Level<string, Buffer>) => Promise<T>): Promise<T> {
  const db = new Level<string, Buffer>(join(dir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function expectStoreError(p: Promise<unknown>, code: string): Promise<StoreError> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, StoreError);
    assert.is((err as StoreError).code, code, (err as Error).message);
    return err as StoreError;
  }
  throw new Error(`expected StoreError ${code}`);
}

/** Every file under `dir`: path, mode and SHA-256 of its bytes. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.push(`${p.slice(dir.length)} ${(s.mode & 0o777).toString(8)} ${s.size} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out;
}

async function seeded(dir: string, passphrase?: string) {
  const { store } = await openStore(passphrase === undefined ? { dir } : { dir, passphrase });
  await store.batch(['a', 'b', 'c', 'd', 'e'].map((id) => ({ type: 'put' as const, ns: 'tasks', id, value: { id, body: 'x'.repeat(100) } })));
  await store.put('idx', 'a', 'index entry');
  await store.close();
}

test('a bit flipped anywhere in a stored value is an INTEGRITY error naming that record; the rest stay readable', async () => {
  const dir = freshDir();
  await seeded(dir);
  const original = await raw(dir, async (db) => (await db.get('tasks\0c'))!);
  // version byte, key id, nonce, ciphertext start and end, tag
  for (const at of [0, 3, 8, 17, original.length - 20, original.length - 1]) {
    await raw(dir, async (db) => {
      const flipped = Buffer.from(original);
      flipped[at]! ^= 0x01;
      await db.put('tasks\0c', flipped);
    });
    const { store } = await openStore({ dir });
    const err = await expectStoreError(store.get('tasks', 'c'), 'INTEGRITY');
    assert.is(err.record, 'tasks/c');
    assert.match(err.message, 'tasks/c');
    assert.equal(await store.get('tasks', 'b'), { id: 'b', body: 'x'.repeat(100) });
    assert.is(await store.get('idx', 'a'), 'index entry');
    const listed: string[] = [];
    const listErr = await expectStoreError((async () => { for await (const [id] of store.list('tasks')) listed.push(id); })(), 'INTEGRITY');
    assert.equal(listed, ['a', 'b'], 'listing yields the good records before the bad one');
    assert.is(listErr.record, 'tasks/c');
    await store.close();
  }
  await raw(dir, (db) => db.put('tasks\0c', Buffer.alloc(5)));
  const { store } = await openStore({ dir });
  assert.is((await expectStoreError(store.get('tasks', 'c'), 'INTEGRITY')).record, 'tasks/c');
  await store.close();
});

test('a value copied under another id or namespace fails to open', async () => {
  const dir = freshDir();
  await seeded(dir);
  await raw(dir, async (db) => {
    const a = (await db.get('tasks\0a'))!;
    await db.put('tasks\0b', a); // same namespace, other id
    await db.put('idx\0a', a); // same id, other namespace
    await db.put('tasks\0new', a); // a brand-new key
  });
  const { store } = await openStore({ dir });
  for (const [ns, id] of [['tasks', 'b'], ['idx', 'a'], ['tasks', 'new']] as const) {
    assert.is((await expectStoreError(store.get(ns, id), 'INTEGRITY')).record, `${ns}/${id}`);
  }
  assert.equal(await store.get('tasks', 'a'), { id: 'a', body: 'x'.repeat(100) });
  await store.close();
});

test('a record relabelled with another key id in the ring, or an unknown one, fails to open', async () => {
  const dir = freshDir();
  const { store } = await openStore({ dir, rotateAt: 3 });
  for (const id of ['a', 'b', 'c', 'd']) await store.put('tasks', id, id); // a-c under key 1, d under key 2
  assert.equal(store.keyStatus().keyIds, [1, 2]);
  await store.close();
  const relabel = (id: string, keyId: number) => raw(dir, async (db) => {
    const v = Buffer.from((await db.get(`tasks\0${id}`))!);
    v.writeUInt32BE(keyId, 1);
    await db.put(`tasks\0${id}`, v);
  });
  await relabel('a', 2);
  await relabel('b', 7);
  const again = await openStore({ dir });
  assert.match((await expectStoreError(again.store.get('tasks', 'a'), 'INTEGRITY')).message, 'failed authentication');
  assert.match((await expectStoreError(again.store.get('tasks', 'b'), 'INTEGRITY')).message, 'key 7');
  assert.is(await again.store.get('tasks', 'c'), 'c');
  assert.is(await again.store.get('tasks', 'd'), 'd');
  await again.store.close();
});

test('a wrong or missing passphrase is one clear error and leaves every file byte-identical', async () => {
  const dir = freshDir();
  await seeded(dir, 'correct horse');
  const before = snapshot(dir);
  const wrong = await expectStoreError(openStore({ dir, passphrase: 'battery staple' }), 'WRONG_PASSPHRASE');
  assert.match(wrong.message, /wrong passphrase/);
  await expectStoreError(openStore({ dir }), 'WRONG_PASSPHRASE');
  assert.equal(snapshot(dir), before);
  const { store } = await openStore({ dir, passphrase: 'correct horse' });
  assert.equal(await store.get('tasks', 'e'), { id: 'e', body: 'x'.repeat(100) });
  await store.close();
  assert.not.ok(readFileSync(join(dir, 'keyring.json'), 'utf8').includes('correct horse'));
});

test('changing from the key file to a passphrase and back keeps every record and retires the old secret', async () => {
  const dir = freshDir();
  await seeded(dir);
  const oldKeyFile = readFileSync(join(dir, 'key'));
  const first = await openStore({ dir });
  await first.store.changePassphrase('new pass');
  assert.not.ok(statSync(join(dir, 'key'), { throwIfNoEntry: false }), 'the key file is removed');
  await first.store.put('tasks', 'f', 'written after the change');
  await first.store.close();
  writeFileSync(join(dir, 'key'), oldKeyFile); // an old backup of the key file no longer opens anything
  await expectStoreError(openStore({ dir }), 'WRONG_PASSPHRASE');
  const second = await openStore({ dir, passphrase: 'new pass' });
  assert.equal(await second.store.get('tasks', 'a'), { id: 'a', body: 'x'.repeat(100) });
  await second.store.changePassphrase(undefined);
  await second.store.close();
  assert.not.ok(readFileSync(join(dir, 'key')).equals(oldKeyFile), 'a fresh key file, not the old one');
  await expectStoreError(openStore({ dir, passphrase: 'new pass' }), 'WRONG_PASSPHRASE');
  const third = await openStore({ dir });
  assert.is(await third.store.get('tasks', 'f'), 'written after the change');
  await third.store.close();
});

test('a key file and key ring restored world-readable are made private again on open', async () => {
  const dir = freshDir();
  await seeded(dir);
  for (const f of ['key', 'keyring.json']) chmodSync(join(dir, f), 0o644);
  const { store } = await openStore({ dir });
  await store.close();
  for (const f of ['key', 'keyring.json']) assert.is(statSync(join(dir, f)).mode & 0o777, 0o600, f);
});

test('a key file that does not match, or a passphrase for a key-file ring, changes nothing on disk', async () => {
  const dir = freshDir();
  await seeded(dir);
  writeFileSync(join(dir, 'key'), randomBytes(32), { mode: 0o600 });
  const before = snapshot(dir);
  await expectStoreError(openStore({ dir }), 'WRONG_PASSPHRASE');
  await expectStoreError(openStore({ dir, passphrase: 'anything' }), 'WRONG_PASSPHRASE');
  assert.equal(snapshot(dir), before);
});

test('a missing key file or a lost key ring is KEYRING_INVALID, never a fresh key that orphans the data', async () => {
  const dir = freshDir();
  await seeded(dir);
  const ring = readFileSync(join(dir, 'keyring.json'));
  rmSync(join(dir, 'key'));
  assert.match((await expectStoreError(openStore({ dir }), 'KEYRING_INVALID')).message, 'key file');
  writeFileSync(join(dir, 'key'), randomBytes(32));
  rmSync(join(dir, 'keyring.json'));
  assert.match((await expectStoreError(openStore({ dir }), 'KEYRING_INVALID')).message, 'missing');
  writeFileSync(join(dir, 'keyring.json'), ring);
});

test('hostile key ring KDF parameters are refused before any derivation', async () => {
  const dir = freshDir();
  await seeded(dir, 'pw');
  const ring = JSON.parse(readFileSync(join(dir, 'keyring.json'), 'utf8'));
  const cases: Array<[string, (r: any) => void]> = [
    ['N = 2^40', (r) => (r.kek.N = 2 ** 40)],
    ['N not a power of two', (r) => (r.kek.N = 100_000)],
    ['r huge', (r) => (r.kek.r = 1_000_000)],
    ['memory over 1 GiB', (r) => { r.kek.N = 2 ** 20; r.kek.r = 16; }],
    ['p huge', (r) => (r.kek.p = 2 ** 30)],
    ['salt too short', (r) => (r.kek.salt = 'AAAA')],
    ['extra field', (r) => (r.evil = true)],
  ];
  for (const [what, mutate] of cases) {
    const copy = structuredClone(ring);
    mutate(copy);
    writeFileSync(join(dir, 'keyring.json'), JSON.stringify(copy));
    const started = Date.now();
    await expectStoreError(openStore({ dir, passphrase: 'pw' }), 'KEYRING_INVALID');
    assert.ok(Date.now() - started < 2000, `${what}: refused without running the KDF`);
  }
  writeFileSync(join(dir, 'keyring.json'), '{not json');
  await expectStoreError(openStore({ dir, passphrase: 'pw' }), 'KEYRING_INVALID');
});

test('nothing stored on disk contains a value or the data key in the clear', async () => {
  const dir = freshDir();
  const marker = 'PLAINTEXT-' + randomBytes(8).toString('hex');
  const { store } = await openStore({ dir });
  await store.batch(Array.from({ length: 50 }, (_, i) => ({ type: 'put' as const, ns: 'tasks', id: `id${i}`, value: { note: marker } })));
  await store.close();
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  for (const file of walk(dir)) assert.not.ok(readFileSync(file).includes(marker), `${file} holds plaintext`);
  const keys = await raw(dir, async (db) => { const out: string[] = []; for await (const k of db.keys()) out.push(k); return out; });
  assert.ok(keys.every((k) => /^tasks\0id\d+$/.test(k)), 'LevelDB keys are namespace + id only');
});

test('two seals of the same value never share a nonce or ciphertext', async () => {
  const dir = freshDir();
  const { store } = await openStore({ dir });
  await store.batch(Array.from({ length: 200 }, (_, i) => ({ type: 'put' as const, ns: 'n', id: `i${i}`, value: 'same' })));
  await store.close();
  const values = await raw(dir, async (db) => { const out: Buffer[] = []; for await (const v of db.values()) out.push(v); return out; });
  assert.is(new Set(values.map((v) => v.subarray(5, 17).toString('hex'))).size, 200);
});

test('the active key is retired before its encryption limit, and the exact count survives reopen', async () => {
  const dir = freshDir();
  const { store } = await openStore({ dir, rotateAt: 10 });
  for (let i = 0; i < 25; i++) await store.put('tasks', `t${i}`, i);
  assert.equal(store.keyStatus(), { activeKeyId: 3, keyIds: [1, 2, 3], encryptions: 5, rotationPending: false });
  await store.close();
  const again = await openStore({ dir, rotateAt: 10 });
  assert.is(again.store.keyStatus().encryptions, 5);
  for (let i = 0; i < 25; i++) assert.is(await again.store.get('tasks', `t${i}`), i);
  const { reencrypted } = await again.store.rotate();
  assert.is(reencrypted, 25, 'a rotation moves records from every older key');
  assert.equal(again.store.keyStatus().keyIds.length, 1);
  await again.store.close();
});

test('unlockAuditKey gives the audit key read-only, even while the store is open elsewhere', async () => {
  const dir = freshDir();
  const { store, auditKey } = await openStore({ dir });
  const before = snapshot(dir);
  assert.ok(Buffer.from(await unlockAuditKey({ dir })).equals(Buffer.from(auditKey)));
  await expectStoreError(unlockAuditKey({ dir, passphrase: 'nope' }), 'WRONG_PASSPHRASE');
  await expectStoreError(unlockAuditKey({ dir: freshDir() }), 'KEYRING_INVALID');
  assert.equal(snapshot(dir), before);
  await store.close();
});

test('a second process gets LOCKED while the store is open, and can open it after close', async () => {
  const dir = freshDir();
  const { store } = await openStore({ dir });
  const script = join(root, 'lock.mts');
  const mod = new URL('../../daemon/store/index.ts', import.meta.url).pathname;
  writeFileSync(script, `
    import { openStore } from ${JSON.stringify(mod)};
    try { const { store } = await openStore({ dir: ${JSON.stringify(dir)} }); await store.close(); console.log('opened'); }
    catch (err) { console.log(err.code); }
  `);
  const run = () => execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' }).trim();
  assert.is(run(), 'LOCKED');
  await expectStoreError(openStore({ dir }), 'LOCKED'); // also within one process
  await store.close();
  assert.is(run(), 'opened');
});

test('under umask 000 every file the store and audit log create is private', async () => {
  const dir = freshDir();
  const script = join(root, 'umask.mts');
  const store = new URL('../../daemon/store/index.ts', import.meta.url).pathname;
  const audit = new URL('../../daemon/audit/index.ts', import.meta.url).pathname;
  writeFileSync(script, `
    import { openStore } from ${JSON.stringify(store)};
    import { openAuditLog } from ${JSON.stringify(audit)};
    process.umask(0);
    const { store, auditKey } = await openStore({ dir: ${JSON.stringify(dir)} });
    const log = await openAuditLog({ dir: ${JSON.stringify(dir)}, key: auditKey });
    await log.append({ type: 'daemon.start', actor: 'system' });
    await log.close();
    await store.close();
  `);
  execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'pipe' });
  const mode = (p: string) => (statSync(join(dir, p)).mode & 0o777).toString(8);
  assert.equal(
    ['', 'store', 'key', 'keyring.json', 'audit.log', 'audit.head'].map(mode),
    ['700', '700', '600', '600', '600', '600'],
  );
});

test.run();
