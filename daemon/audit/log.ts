/**
 * The audit log writer. One writer per state directory (the daemon; the store's LevelDB lock guarantees it).
 *
 * Appends are group-committed: callers queue events, one flush at a time writes every queued entry in a single
 * write() and fdatasync()s, and only then resolves each `append`. If a write or sync fails the log turns
 * "broken": that group and every later `append` reject with AuditError('AUDIT_WRITE_FAILED'), so callers fail
 * closed; reopening recovers.
 *
 * The head is checkpointed to `audit.head` every `checkpointEvery` entries, shortly after the last flush
 * (`checkpointDelayMs`), and on close. Truncation after the last checkpoint cannot be detected.
 *
 * Torn writes: after kill -9 the file may end in an unterminated line (never acknowledged: acks follow the
 * fsync of complete lines). `verify` reports it. Opening removes only that unterminated final line (its bytes
 * are kept in `audit.torn`) and continues the chain from the last complete entry, whose MAC it checks. Opening
 * refuses (AuditError 'AUDIT_CORRUPT') when that last entry fails authentication or the log is shorter than its
 * checkpoint: appending would bury the evidence.
 */
import { appendFile, chmod, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureStateDir, writeSecretFile } from '../state.js';
import {
  AUDIT_FILE, canonicalJson, checkEvent, deriveAuditKeys, entryMac, formatHead, GENESIS, HEAD_FILE, macEquals, makeEntry, MAX_LINE,
  TORN_FILE, type AuditKeys, type Head,
} from './format.js';
import { AuditError, type AuditEntry, type AuditEvent, type AuditLog, type AuditVerifyResult } from './types.js';
import { readHead, readTail, verifyAuditLog } from './verify.js';

/** How to get going again after a tampered log: keep the evidence, start a new chain. */
const FRESH_CHAIN = ` (to start a new chain, keep the evidence by moving ${AUDIT_FILE} and ${HEAD_FILE} out of the state directory)`;

/** Options for openAuditLog. */
export interface AuditLogOptions {
  readonly dir: string;
  /** The audit key from the key ring (separate from the data key). */
  readonly key: Uint8Array;
  readonly clock?: (() => Date) | undefined;
  /** Checkpoint the head after this many new entries (default 64). */
  readonly checkpointEvery?: number | undefined;
  /** …or this long after the last flush, whichever comes first (default 200 ms). */
  readonly checkpointDelayMs?: number | undefined;
  /** Test seam: runs before each group is written; throwing simulates a failing disk. */
  readonly beforeWrite?: (() => void | Promise<void>) | undefined;
}

/** What opening found and repaired. */
export interface AuditRecovery {
  /** Bytes of an unterminated final line moved to `audit.torn` (0 when the log ended cleanly). */
  readonly tornBytes: number;
}

interface Pending {
  readonly event: AuditEvent;
  readonly ts: string;
  readonly resolve: (entry: AuditEntry) => void;
  readonly reject: (err: Error) => void;
}

/** The append-only, chained audit log on disk. */
export class FileAuditLog implements AuditLog {
  private pending: Pending[] = [];
  private flushQueued = false;
  private queue: Promise<unknown> = Promise.resolve();
  private broken: AuditError | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => Date;
  private readonly every: number;
  private readonly delay: number;

  private constructor(
    private readonly dir: string,
    private readonly keys: AuditKeys,
    private readonly handle: FileHandle,
    private seq: number,
    private prev: string,
    private size: number,
    private headSeq: number,
    readonly recovery: AuditRecovery,
    private readonly options: AuditLogOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.every = Math.max(1, options.checkpointEvery ?? 64);
    this.delay = Math.max(0, options.checkpointDelayMs ?? 200);
  }

  /** Open (creating if needed) the log in `options.dir`, repair a torn final line, and resume the chain. */
  static async open(options: AuditLogOptions): Promise<FileAuditLog> {
    const keys = deriveAuditKeys(options.key);
    await ensureStateDir(options.dir);
    const path = join(options.dir, AUDIT_FILE);
    let handle: FileHandle;
    try {
      handle = await open(path, 'a+', 0o600);
      await chmod(path, 0o600);
    } catch (cause) {
      throw new AuditError('AUDIT_WRITE_FAILED', `cannot open ${path}: ${(cause as Error).message}`, { cause });
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new AuditError('AUDIT_CORRUPT', `${path} is not a regular file`);
      let size = info.size;
      let tornBytes = 0;
      if (size > 0) {
        const lastByte = Buffer.alloc(1);
        await handle.read(lastByte, 0, 1, size - 1);
        if (lastByte[0] !== 10) {
          const keep = await lastNewlineEnd(handle, size);
          const torn = Buffer.alloc(size - keep);
          await handle.read(torn, 0, torn.length, keep);
          await appendFile(join(options.dir, TORN_FILE), torn, { mode: 0o600 });
          await chmod(join(options.dir, TORN_FILE), 0o600);
          await handle.truncate(keep);
          await handle.sync();
          tornBytes = size - keep;
          size = keep;
        }
      }
      let seq = 0;
      let prev = GENESIS;
      if (size > 0) {
        const [last] = await readTail(options.dir, 1, size).catch((cause) => {
          throw new AuditError('AUDIT_CORRUPT', `the last entry of ${path} is malformed; run \`shippi audit verify\`${FRESH_CHAIN}`, { cause });
        });
        if (!last || !macEquals(entryMac(keys, last), last.mac)) {
          throw new AuditError('AUDIT_CORRUPT', `the last entry of ${path} fails authentication; run \`shippi audit verify\`${FRESH_CHAIN}`);
        }
        seq = last.seq;
        prev = last.mac;
      }
      const head = await readHead(options.dir, keys);
      if (typeof head === 'string') throw new AuditError('AUDIT_CORRUPT', `${join(options.dir, HEAD_FILE)}: ${head}${FRESH_CHAIN}`);
      if (head && head.seq > seq) {
        throw new AuditError('AUDIT_CORRUPT', `${path} ends at entry ${seq} but was checkpointed at entry ${head.seq}: it was truncated${FRESH_CHAIN}`);
      }
      return new FileAuditLog(options.dir, keys, handle, seq, prev, size, head?.seq ?? 0, { tornBytes }, options);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /** Queue an event; resolves with its entry once it is on disk, rejects AUDIT_WRITE_FAILED otherwise. */
  append(event: AuditEvent): Promise<AuditEntry> {
    try {
      checkEvent(event);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.closed) return Promise.reject(new AuditError('AUDIT_WRITE_FAILED', 'the audit log is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<AuditEntry>((resolve, reject) => {
      this.pending.push({ event, ts: this.clock().toISOString(), resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.exclusive(() => this.flush());
      }
    });
  }

  /** The last `n` entries, oldest first. */
  async tail(n: number): Promise<AuditEntry[]> {
    const size = await this.exclusive(async () => this.size);
    return readTail(this.dir, n, size);
  }

  /** Verify the chain as acknowledged so far (appends may continue meanwhile). */
  async verify(): Promise<AuditVerifyResult> {
    const snapshot = await this.exclusive(async () => ({ size: this.size, head: await readHead(this.dir, this.keys) }));
    return verifyAuditLog(this.dir, this.keys, snapshot);
  }

  /** Flush queued appends, checkpoint the head, and close the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.exclusive(async () => {
      if (!this.broken && this.headSeq !== this.seq) await this.checkpoint().catch(() => undefined);
    });
    await this.handle.close().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const group = this.pending.splice(0, 4096);
    if (this.pending.length) {
      this.flushQueued = true;
      void this.exclusive(() => this.flush());
    }
    if (group.length === 0) return;
    if (this.broken) {
      for (const p of group) p.reject(this.broken);
      return;
    }
    const entries: AuditEntry[] = [];
    const lines: string[] = [];
    let seq = this.seq;
    let prev = this.prev;
    for (const p of group) {
      const entry = makeEntry(this.keys, p.event, seq + 1, prev, p.ts);
      const canonical = canonicalJson(entry);
      if (canonical.length > MAX_LINE) {
        entries.push(entry);
        lines.push('');
        continue;
      }
      seq += 1;
      prev = entry.mac;
      entries.push(entry);
      lines.push(canonical);
    }
    const data = Buffer.from(lines.filter((l) => l !== '').map((l) => l + '\n').join(''), 'utf8');
    try {
      await this.options.beforeWrite?.();
      if (data.length) {
        await this.handle.write(data, 0, data.length);
        await this.handle.datasync();
      }
    } catch (cause) {
      this.broken = new AuditError('AUDIT_WRITE_FAILED', `cannot write the audit log: ${(cause as Error).message}`, { cause });
      for (const p of group) p.reject(this.broken);
      for (const p of this.pending.splice(0)) p.reject(this.broken);
      return;
    }
    this.seq = seq;
    this.prev = prev;
    this.size += data.length;
    group.forEach((p, i) => {
      if (lines[i] === '') p.reject(new TypeError(`audit entry is larger than ${MAX_LINE} bytes`));
      else p.resolve(entries[i]!);
    });
    if (this.seq - this.headSeq >= this.every) await this.checkpointOrBreak();
    else this.scheduleCheckpoint();
  }

  private scheduleCheckpoint(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => this.checkpointOrBreak());
    }, this.delay);
    this.timer.unref();
  }

  private async checkpointOrBreak(): Promise<void> {
    if (this.broken || this.headSeq === this.seq) return;
    try {
      await this.checkpoint();
    } catch (cause) {
      this.broken = new AuditError('AUDIT_WRITE_FAILED', `cannot write the audit checkpoint: ${(cause as Error).message}`, { cause });
    }
  }

  private async checkpoint(): Promise<void> {
    const head: Head = { seq: this.seq, mac: this.prev, ts: this.clock().toISOString() };
    await writeSecretFile(join(this.dir, HEAD_FILE), formatHead(this.keys, head));
    this.headSeq = head.seq;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Byte offset just past the last "\n" in the first `size` bytes (0 when there is none). */
async function lastNewlineEnd(handle: FileHandle, size: number): Promise<number> {
  let pos = size;
  while (pos > 0) {
    const len = Math.min(64 * 1024, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    await handle.read(chunk, 0, len, pos);
    const at = chunk.lastIndexOf(10);
    if (at >= 0) return pos + at + 1;
  }
  return 0;
}
