/**
 * Reading the audit log without changing it: verifying the chain against the checkpoint, and the last entries.
 * Safe to run from another process while the daemon appends: callers pass the byte length to read up to.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSecretFile } from '../state.js';
import { AUDIT_FILE, deriveAuditKeys, entryMac, GENESIS, HEAD_FILE, macEquals, parseEntry, parseHead, type AuditKeys, type Head } from './format.js';
import { AuditError, type AuditEntry, type AuditVerifyResult } from './types.js';

/** Read and authenticate `audit.head`; `undefined` when there is none, a string when it is invalid. */
export async function readHead(dir: string, keys: AuditKeys): Promise<Head | string | undefined> {
  const raw = await readSecretFile(join(dir, HEAD_FILE));
  if (raw === undefined) return undefined;
  if (raw.length > 4096) return 'the checkpoint file is too large';
  return parseHead(keys, raw.toString('utf8'));
}

/** Split a byte stream into lines; yields each complete line, then reports an unterminated rest. */
async function* lines(path: string, end: number): AsyncGenerator<string, number> {
  if (end === 0) return 0;
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { start: 0, end: end - 1, highWaterMark: 256 * 1024 })) {
    let buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let at = buf.indexOf(10);
    while (at >= 0) {
      yield buf.subarray(0, at).toString('utf8');
      buf = buf.subarray(at + 1);
      at = buf.indexOf(10);
    }
    rest = Buffer.from(buf);
  }
  return rest.length;
}

/** Byte length of the log file (0 when it does not exist). */
export async function logSize(dir: string): Promise<number> {
  try {
    return (await stat(join(dir, AUDIT_FILE))).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/**
 * Verify the chain in `dir` under `auditKey`: every entry well-formed, numbered 1, 2, 3…, authenticated, and
 * linked to the one before; no unterminated final line; and nothing missing before the checkpointed head.
 * Names the first bad entry (1-based). `snapshot` bounds the read for a log that is being appended to.
 */
export async function verifyAuditLog(
  dir: string,
  auditKey: Uint8Array | AuditKeys,
  snapshot?: { readonly size: number; readonly head: Head | string | undefined },
): Promise<AuditVerifyResult> {
  const keys = auditKey instanceof Uint8Array ? deriveAuditKeys(auditKey) : auditKey;
  const head = snapshot ? snapshot.head : await readHead(dir, keys);
  const size = snapshot ? snapshot.size : await logSize(dir);
  const path = join(dir, AUDIT_FILE);
  let n = 0;
  let prev = GENESIS;
  let macAtHead: string | undefined;
  const bad = (firstBad: number, reason: string, entries = n): AuditVerifyResult => ({ ok: false, entries, firstBad, reason });
  const reader = lines(path, size);
  let step = await reader.next();
  for (; !step.done; step = await reader.next()) {
    const seq = n + 1;
    const entry = parseEntry(step.value);
    if (typeof entry === 'string') return bad(seq, `entry ${seq}: ${entry}`);
    if (entry.seq !== seq) return bad(seq, `entry ${seq}: found seq ${entry.seq} where seq ${seq} belongs (entries were deleted, inserted or reordered)`);
    if (!macEquals(entryMac(keys, entry), entry.mac)) return bad(seq, `entry ${seq}: fails authentication (it was edited)`);
    if (entry.prev !== prev) return bad(seq, `entry ${seq}: does not follow entry ${seq - 1} (an entry was deleted, inserted or reordered)`);
    prev = entry.mac;
    n = seq;
    if (typeof head === 'object' && head.seq === seq) macAtHead = entry.mac;
  }
  if (step.value > 0) return bad(n + 1, `an unterminated final line follows entry ${n} (a torn write, or an edit)`);
  if (typeof head === 'string') return bad(n + 1, `${HEAD_FILE}: ${head}`);
  if (head && head.seq > n) {
    return bad(n + 1, `the log ends at entry ${n} but was checkpointed at entry ${head.seq}: entries ${n + 1} to ${head.seq} are missing (truncated)`);
  }
  if (head && head.seq > 0 && (macAtHead === undefined || !macEquals(macAtHead, head.mac))) {
    return bad(head.seq, `entry ${head.seq}: differs from the checkpoint (the log was rewritten)`);
  }
  return { ok: true, entries: n };
}

/** The last `count` complete entries of the first `size` bytes of the log, oldest first (not verified). */
export async function readTail(dir: string, count: number, size?: number): Promise<AuditEntry[]> {
  if (!Number.isInteger(count) || count < 0) throw new TypeError('tail expects a non-negative integer');
  const end = size ?? (await logSize(dir));
  if (count === 0 || end === 0) return [];
  const handle = await open(join(dir, AUDIT_FILE), 'r');
  try {
    // Read backwards in chunks until we hold `count` complete lines (or the start of the file).
    let pos = end;
    let buf = Buffer.alloc(0);
    let newlines = 0;
    while (pos > 0 && newlines <= count) {
      const len = Math.min(64 * 1024, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      await handle.read(chunk, 0, len, pos);
      for (const b of chunk) if (b === 10) newlines++;
      buf = Buffer.concat([chunk, buf]);
    }
    const text = buf.toString('utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    let all = complete.split('\n').slice(0, -1);
    if (pos > 0) all = all.slice(1); // the first piece may be the tail of an earlier line
    return all.slice(-count).map((line) => {
      const entry = parseEntry(line);
      if (typeof entry === 'string') throw new AuditError('AUDIT_CORRUPT', `${AUDIT_FILE} is corrupt near its end: ${entry}; run \`shippi audit verify\``);
      return entry;
    });
  } finally {
    await handle.close();
  }
}
