import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditError, hashSensitive, openAuditLog, verifyAuditLog, type AuditEvent } from '../../daemon/audit/index.js';

const root = mkdtempSync(join(tmpdir(), 'shippi-audit-'));
let n = 0;
const freshDir = () => join(root, `a${++n}`);
test.after(() => rmSync(root, { recursive: true, force: true }));

const key = randomBytes(32);
const event = (i: number): AuditEvent => ({ type: 'task.created', actor: `tok${i % 3}`, detail: { task: `t${i}`, n: i, ok: i % 2 === 0 } });
const logLines = (dir: string) => readFileSync(join(dir, 'audit.log'), 'utf8').split('\n').slice(0, -1);
const writeLines = (dir: string, lines: string[]) => writeFileSync(join(dir, 'audit.log'), lines.map((l) => l + '\n').join(''));

/** A closed log of `count` entries (closing checkpoints the head). */
async function written(count: number, options: { checkpointEvery?: number } = {}): Promise<string> {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key, ...options });
  for (let i = 1; i <= count; i++) await log.append(event(i));
  await log.close();
  return dir;
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<AuditError> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, AuditError);
    assert.is((err as AuditError).code, code, (err as Error).message);
    return err as AuditError;
  }
  throw new Error(`expected AuditError ${code}`);
}

test('entries are numbered from 1, chained by prev, and an untouched log verifies', async () => {
  const dir = freshDir();
  const fixed = new Date('2026-01-02T03:04:05.000Z');
  const log = await openAuditLog({ dir, key, clock: () => fixed });
  const first = await log.append({ type: 'daemon.start', actor: 'system' });
  const second = await log.append(event(2));
  assert.is(first.seq, 1);
  assert.is(first.prev, '0'.repeat(64));
  assert.is(second.seq, 2);
  assert.is(second.prev, first.mac);
  assert.is(second.ts, fixed.toISOString());
  assert.equal(await log.verify(), { ok: true, entries: 2 });
  await log.close();
  assert.equal(await verifyAuditLog(dir, key), { ok: true, entries: 2 });
});

test('sensitive fields are stored only as keyed hashes that the audit key can reproduce', async () => {
  const dir = freshDir();
  const secret = 'tok_' + randomBytes(12).toString('hex');
  const log = await openAuditLog({ dir, key });
  const entry = await log.append({ type: 'auth.denied', actor: 'unknown', sensitive: { token: secret } });
  await log.close();
  assert.not.ok(readFileSync(join(dir, 'audit.log'), 'utf8').includes(secret), 'the plaintext is not on disk');
  assert.is(entry.hashed['token'], hashSensitive(key, 'token', secret));
  assert.is.not(hashSensitive(randomBytes(32), 'token', secret), entry.hashed['token'], 'the hash is keyed');
  assert.is.not(hashSensitive(key, 'other', secret), entry.hashed['token'], 'the hash is bound to the field name');
});

test('an edited entry is named as the first bad one', async () => {
  const dir = await written(10);
  const lines = logLines(dir);
  lines[6] = lines[6]!.replace('"actor":"tok1"', '"actor":"tok2"');
  writeLines(dir, lines);
  const result = await verifyAuditLog(dir, key);
  assert.is(result.ok, false);
  if (!result.ok) {
    assert.is(result.firstBad, 7);
    assert.match(result.reason, 'edited');
  }
});

test('a deleted entry, or two swapped entries, are named by the first position that is wrong', async () => {
  const dir = await written(10);
  const lines = logLines(dir);
  writeLines(dir, [...lines.slice(0, 4), ...lines.slice(5)]);
  const deleted = await verifyAuditLog(dir, key);
  assert.equal(deleted.ok ? 0 : deleted.firstBad, 5);
  const swapped = [...lines];
  [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
  writeLines(dir, swapped);
  const reordered = await verifyAuditLog(dir, key);
  assert.equal(reordered.ok ? 0 : reordered.firstBad, 3);
});

test('a log truncated before its checkpoint is reported, naming the first missing entry', async () => {
  const dir = await written(10);
  writeLines(dir, logLines(dir).slice(0, 7));
  const result = await verifyAuditLog(dir, key);
  assert.is(result.ok, false);
  if (!result.ok) {
    assert.is(result.firstBad, 8);
    assert.match(result.reason, 'truncated');
  }
  await rejectsWith(openAuditLog({ dir, key }), 'AUDIT_CORRUPT'); // appending would overwrite the evidence
});

test('an emptied log is reported against its checkpoint, naming entry 1', async () => {
  const dir = await written(5);
  writeFileSync(join(dir, 'audit.log'), '');
  const emptied = await verifyAuditLog(dir, key);
  assert.equal(emptied.ok ? 0 : emptied.firstBad, 1);
});

test('a forged or edited checkpoint is reported', async () => {
  const dir = await written(5);
  const head = JSON.parse(readFileSync(join(dir, 'audit.head'), 'utf8'));
  writeFileSync(join(dir, 'audit.head'), JSON.stringify({ ...head, seq: 3 }));
  const result = await verifyAuditLog(dir, key);
  assert.is(result.ok, false);
  if (!result.ok) assert.match(result.reason, 'authentication');
});

test('a log under another audit key fails at entry 1', async () => {
  const dir = await written(3);
  const result = await verifyAuditLog(dir, randomBytes(32));
  assert.equal(result.ok ? 0 : result.firstBad, 1);
});

test('a torn final line is reported by verify, then cut on reopen and the chain continues', async () => {
  const dir = await written(4);
  const full = logLines(dir)[3]!;
  appendFileSync(join(dir, 'audit.log'), full.slice(0, 40)); // a partial fifth entry, as after kill -9
  const torn = await verifyAuditLog(dir, key);
  assert.is(torn.ok, false);
  if (!torn.ok) {
    assert.is(torn.firstBad, 5);
    assert.match(torn.reason, 'unterminated');
  }
  const log = await openAuditLog({ dir, key });
  assert.equal(log.recovery, { tornBytes: 40 });
  assert.is(readFileSync(join(dir, 'audit.torn'), 'utf8'), full.slice(0, 40), 'the torn bytes are kept for inspection');
  const next = await log.append(event(5));
  assert.is(next.seq, 5);
  assert.equal(await log.verify(), { ok: true, entries: 5 });
  await log.close();
});

test('reopening resumes seq and prev from the last entry', async () => {
  const dir = await written(3);
  const last = JSON.parse(logLines(dir)[2]!);
  const log = await openAuditLog({ dir, key });
  const next = await log.append(event(4));
  assert.is(next.seq, 4);
  assert.is(next.prev, last.mac);
  await log.close();
  assert.equal(await verifyAuditLog(dir, key), { ok: true, entries: 4 });
});

test('opening refuses a log whose last entry fails authentication', async () => {
  const dir = await written(3);
  const lines = logLines(dir);
  lines[2] = lines[2]!.replace('"n":3', '"n":4');
  writeLines(dir, lines);
  await rejectsWith(openAuditLog({ dir, key }), 'AUDIT_CORRUPT');
});

test('tail returns the last n entries, oldest first', async () => {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key });
  for (let i = 1; i <= 30; i++) await log.append({ ...event(i), detail: { pad: 'p'.repeat(3000), i } });
  assert.equal((await log.tail(3)).map((e) => e.seq), [28, 29, 30]);
  assert.equal((await log.tail(100)).map((e) => e.seq), Array.from({ length: 30 }, (_, i) => i + 1));
  assert.equal(await log.tail(0), []);
  await log.close();
});

test('concurrent appends are serialised into one valid chain (group commit)', async () => {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key, checkpointEvery: 100 });
  const entries = await Promise.all(Array.from({ length: 500 }, (_, i) => log.append(event(i))));
  assert.equal(entries.map((e) => e.seq), Array.from({ length: 500 }, (_, i) => i + 1));
  assert.equal(await log.verify(), { ok: true, entries: 500 });
  await log.close();
  assert.is(JSON.parse(readFileSync(join(dir, 'audit.head'), 'utf8')).seq, 500);
});

test('when the disk refuses a write, append rejects AUDIT_WRITE_FAILED and keeps failing closed', async () => {
  const dir = freshDir();
  let fail = false;
  const log = await openAuditLog({ dir, key, beforeWrite: () => { if (fail) throw new Error('ENOSPC: no space left on device'); } });
  await log.append(event(1));
  fail = true;
  const err = await rejectsWith(log.append(event(2)), 'AUDIT_WRITE_FAILED');
  assert.match(err.message, 'ENOSPC');
  fail = false;
  await rejectsWith(log.append(event(3)), 'AUDIT_WRITE_FAILED'); // the state is unknown until reopened
  await log.close();
  const reopened = await openAuditLog({ dir, key });
  assert.is((await reopened.append(event(2))).seq, 2);
  await reopened.close();
  assert.equal(await verifyAuditLog(dir, key), { ok: true, entries: 2 });
});

test('append after close and malformed events are refused', async () => {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key });
  try {
    await log.append({ type: 'no.such.type' as never, actor: 'x' });
    assert.unreachable('unknown type accepted');
  } catch (err) {
    assert.instance(err, TypeError);
  }
  try {
    await log.append({ type: 'auth.ok', actor: 'x', detail: { n: Number.NaN } });
    assert.unreachable('NaN accepted');
  } catch (err) {
    assert.instance(err, TypeError);
  }
  await log.close();
  await rejectsWith(log.append(event(1)), 'AUDIT_WRITE_FAILED');
  assert.equal(await verifyAuditLog(dir, key), { ok: true, entries: 0 });
});

test('the head is checkpointed soon after appends, without waiting for close', async () => {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key, checkpointEvery: 1000, checkpointDelayMs: 0 });
  await log.append(event(1));
  await log.append(event(2));
  let head: { seq?: number } = {};
  for (let i = 0; i < 200 && head.seq !== 2; i++) {
    await new Promise((r) => setTimeout(r, 10));
    try { head = JSON.parse(readFileSync(join(dir, 'audit.head'), 'utf8')); } catch { /* not written yet */ }
  }
  assert.is(head.seq, 2);
  writeLines(dir, logLines(dir).slice(0, 1)); // truncate while open: verify sees it against the checkpoint
  const result = await verifyAuditLog(dir, key);
  assert.equal(result.ok ? 0 : result.firstBad, 2);
  await log.close();
});

test('an entry too large for a line is refused on its own; the chain carries on without a gap', async () => {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key });
  const big = log.append({ type: 'model.access', actor: 'tok1', detail: { prompt: 'p'.repeat(70_000) } });
  const next = log.append(event(2));
  try {
    await big;
    assert.unreachable('oversized entry accepted');
  } catch (err) {
    assert.instance(err, TypeError);
  }
  assert.is((await next).seq, 1);
  assert.equal(await log.verify(), { ok: true, entries: 1 });
  await log.close();
});

test('the log and checkpoint files are 0600 even when a 0644 log already existed', async () => {
  const dir = await written(2);
  const path = join(dir, 'audit.log');
  chmodSync(path, 0o644);
  const log = await openAuditLog({ dir, key });
  await log.append(event(3));
  await log.close();
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(statSync(join(dir, 'audit.head')).mode & 0o777, 0o600);
});

test('an unterminated first line, with no complete entry, is cut on reopen too', async () => {
  const dir = freshDir();
  const log = await openAuditLog({ dir, key });
  await log.close();
  appendFileSync(join(dir, 'audit.log'), '{"seq":1');
  const again = await openAuditLog({ dir, key });
  assert.is(again.recovery.tornBytes, 8);
  assert.is((await again.append(event(1))).seq, 1);
  await again.close();
});

test.run();
