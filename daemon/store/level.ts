/**
 * The encrypted store on real LevelDB: keys are `ns` NUL `id` (see keys.ts), values are sealed envelopes
 * (see seal.ts). Writes are serialised through one queue so the encryption count, rotation and writes never
 * interleave; reads run concurrently. LevelDB's own lock keeps a second process out (StoreError 'LOCKED').
 */
import type { Level } from 'level';
import { checkId, encodeValue, namespaceRange, recordKey, splitKey } from './keys.js';
import type { KeyRing } from './keyring.js';
import { envelopeKeyId, openRecord, recordName, sealRecord } from './seal.js';
import { StoreError, type BatchOp, type EncryptedStore, type ListOptions } from './types.js';

/** Tuning and test seams for the LevelDB store. */
export interface LevelStoreOptions {
  /** Records re-encrypted per atomic batch during rotation (default 256). */
  readonly rotateBatchSize?: number | undefined;
  /** Test seam: runs before each rotation batch is written; throwing (or dying) here simulates a crash. */
  readonly beforeRotateBatch?: ((batchIndex: number) => void | Promise<void>) | undefined;
}

/** What the key ring looks like right now (for `shippi key status` and tests). */
export interface KeyStatus {
  readonly activeKeyId: number;
  readonly keyIds: readonly number[];
  /** Encryptions under the active key (an upper bound across crashes). */
  readonly encryptions: number;
  /** True when a rotation was interrupted; `rotate()` resumes it. */
  readonly rotationPending: boolean;
}

type Db = Level<string, Buffer>;

/** Native reads allowed in flight before further reads queue for a shared getMany. */
const MAX_NATIVE_READS = 2;
/** Stop scanning after this many already-rotated records per lock hold, so writers are not starved. */
const ROTATE_SCAN_LIMIT = 4096;

/** An EncryptedStore over a LevelDB database and an unlocked key ring. */
export class LevelEncryptedStore implements EncryptedStore {
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readsInFlight = 0;
  private reads: Array<{ key: string; resolve: (v: Buffer | undefined) => void; reject: (e: unknown) => void }> = [];
  private rotation: Promise<{ reencrypted: number }> | undefined;

  constructor(private readonly db: Db, private readonly ring: KeyRing, private readonly options: LevelStoreOptions = {}) {}

  /** Read one record; `undefined` when missing. */
  async get<T = unknown>(ns: string, id: string): Promise<T | undefined> {
    const key = recordKey(ns, id);
    this.checkOpen();
    const raw = await this.io(() => this.readRaw(key), `read ${recordName(ns, id)}`);
    return raw === undefined ? undefined : this.decode<T>(ns, id, raw);
  }

  /** Write one record. */
  put(ns: string, id: string, value: unknown): Promise<void> {
    return this.batch([{ type: 'put', ns, id, value }]);
  }

  /** Delete one record (deleting a missing record is not an error). */
  del(ns: string, id: string): Promise<void> {
    return this.batch([{ type: 'del', ns, id }]);
  }

  /** Apply every operation in one atomic LevelDB batch. */
  async batch(ops: readonly BatchOp[]): Promise<void> {
    if (!Array.isArray(ops)) throw new TypeError('batch expects an array of operations');
    // Validate and serialise before taking the lock: a programmer mistake must not half-apply anything.
    const prepared = ops.map((op) => {
      const key = recordKey(op.ns, op.id);
      if (op.type === 'put') return { type: 'put' as const, key, ns: op.ns, id: op.id, plain: encodeValue(op.value) };
      if (op.type === 'del') return { type: 'del' as const, key };
      throw new TypeError(`unknown batch operation type ${JSON.stringify((op as { type: unknown }).type)}`);
    });
    this.checkOpen();
    if (prepared.length === 0) return;
    // Accepted before close(): close waits for it, so it completes rather than being dropped.
    await this.exclusive(async () => {
      const puts = prepared.filter((p) => p.type === 'put').length;
      if (puts) await this.ring.reserve(puts);
      const key = this.ring.active;
      const writes = prepared.map((p) => (p.type === 'put'
        ? { type: 'put' as const, key: p.key, value: sealRecord(key, p.ns, p.id, p.plain) }
        : { type: 'del' as const, key: p.key }));
      await this.io(() => this.db.batch(writes), `write a batch of ${writes.length}`);
    });
  }

  /** Entries of namespace `ns` in id order (UTF-8 byte order), decrypted. */
  async *list<T = unknown>(ns: string, options: ListOptions = {}): AsyncIterable<[id: string, value: T]> {
    if (options.gte !== undefined) checkId(options.gte);
    if (options.lt !== undefined) checkId(options.lt);
    const range = namespaceRange(ns, options);
    this.checkOpen();
    let iterator;
    try {
      iterator = this.db.iterator(range);
    } catch (cause) {
      throw this.mapError(cause, `list ${ns}`);
    }
    try {
      for (;;) {
        const next = await this.io(() => iterator.next(), `list ${ns}`);
        if (next === undefined) return;
        const [key, raw] = next;
        const [, id] = splitKey(key);
        yield [id, this.decode<T>(ns, id, raw)];
      }
    } finally {
      await iterator.close().catch(() => undefined);
    }
  }

  /**
   * Re-encrypt every record under a fresh data key, in atomic batches. The ring records the rotation before
   * the first batch, and each envelope names its key, so reads work throughout and a crash leaves a rotation
   * that the next `rotate()` resumes. A record that fails authentication stops the rotation (StoreError
   * 'INTEGRITY' naming it) rather than dropping the key that might still be needed to investigate it.
   */
  rotate(): Promise<{ reencrypted: number }> {
    if (this.closed) return Promise.reject(new StoreError('STORE_CLOSED', 'the store is closed'));
    this.rotation ??= this.runRotation().finally(() => (this.rotation = undefined));
    return this.rotation;
  }

  /**
   * Protect the key ring with a new passphrase, or (undefined) with a fresh random key file instead. Records are
   * untouched: only the wrapped keys change.
   */
  changePassphrase(newPassphrase: string | undefined): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('STORE_CLOSED', 'the store is closed'));
    return this.exclusive(() => this.ring.rekey(newPassphrase));
  }

  /** The key ring's current state. */
  keyStatus(): KeyStatus {
    return {
      activeKeyId: this.ring.active.id,
      keyIds: this.ring.keyIds,
      encryptions: this.ring.encryptions,
      rotationPending: this.ring.rotationTarget !== undefined,
    };
  }

  /** Wait for queued writes, persist the exact encryption count, and close LevelDB. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.rotation?.catch(() => undefined);
    await this.queue;
    try {
      await this.ring.flushCount();
    } finally {
      await this.db.close();
    }
  }

  private async runRotation(): Promise<{ reencrypted: number }> {
    await this.exclusive(() => this.ring.beginRotation());
    let reencrypted = 0;
    let batchIndex = 0;
    const batchSize = Math.max(1, this.options.rotateBatchSize ?? 256);
    // A pass moves every record to the target; if the target changed mid-pass (the active key was retired
    // for its encryption count), run another pass.
    for (;;) {
      const target = this.ring.rotationTarget;
      if (target === undefined) break;
      let cursor: string | undefined;
      for (;;) {
        // The rotation stays pending in the ring; the next rotate() resumes it.
        if (this.closed) throw new StoreError('STORE_CLOSED', `the store closed during key rotation after ${reencrypted} record(s); run the rotation again to finish it`);
        const step = await this.exclusive(async () => {
          const found: Array<{ key: string; raw: Buffer }> = [];
          let last: string | undefined;
          let scanned = 0;
          let exhausted = true;
          for await (const [key, raw] of this.db.iterator(cursor === undefined ? {} : { gt: cursor })) {
            last = key;
            if (envelopeKeyId(raw) !== target) found.push({ key, raw });
            if (found.length >= batchSize || ++scanned >= ROTATE_SCAN_LIMIT) {
              exhausted = false;
              break;
            }
          }
          if (found.length > 0) {
            const plains = found.map(({ key, raw }) => {
              const [ns, id] = splitKey(key);
              return { key, ns, id, plain: openRecord(this.ring.keyById, ns, id, raw) };
            });
            await this.ring.reserve(plains.length);
            const active = this.ring.active;
            const writes = plains.map((p) => ({ type: 'put' as const, key: p.key, value: sealRecord(active, p.ns, p.id, p.plain) }));
            await this.options.beforeRotateBatch?.(batchIndex++);
            await this.io(() => this.db.batch(writes), 'write a rotation batch');
          }
          return { last, exhausted, moved: found.length };
        });
        reencrypted += step.moved;
        cursor = step.last;
        if (step.exhausted) break;
      }
      if (this.ring.rotationTarget === target) {
        await this.exclusive(() => this.ring.finishRotation());
        break;
      }
    }
    return { reencrypted };
  }

  /**
   * Reads go straight to LevelDB while few are in flight; beyond that they queue, and the queue is sent as one
   * getMany when a slot frees. A lone read pays no extra latency, and under concurrency crossings into the
   * native binding are shared.
   */
  private readRaw(key: string): Promise<Buffer | undefined> {
    if (this.readsInFlight < MAX_NATIVE_READS && this.reads.length === 0) return this.trackRead(this.db.get(key));
    return new Promise((resolve, reject) => this.reads.push({ key, resolve, reject }));
  }

  private trackRead<T>(op: Promise<T>): Promise<T> {
    this.readsInFlight++;
    return op.finally(() => {
      this.readsInFlight--;
      if (this.reads.length > 0) this.flushReads();
    });
  }

  private flushReads(): void {
    const group = this.reads;
    this.reads = [];
    this.trackRead(this.db.getMany(group.map((r) => r.key))).then(
      (values) => group.forEach((r, i) => r.resolve(values[i])),
      (err: unknown) => group.forEach((r) => r.reject(err)),
    );
  }

  private decode<T>(ns: string, id: string, raw: Uint8Array): T {
    const plain = openRecord(this.ring.keyById, ns, id, raw);
    try {
      return JSON.parse(plain.toString('utf8')) as T;
    } catch (cause) {
      const name = recordName(ns, id);
      throw new StoreError('INTEGRITY', `record ${name} decrypted but is not valid JSON`, name, { cause });
    }
  }

  /** Run `fn` after every earlier write has finished (a failed write does not block later ones). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }

  private async io<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      throw this.mapError(cause, what);
    }
  }

  private mapError(cause: unknown, what: string): Error {
    if (cause instanceof StoreError || cause instanceof TypeError) return cause;
    const code = (cause as { code?: string }).code;
    if (code === 'LEVEL_DATABASE_NOT_OPEN' || code === 'LEVEL_ITERATOR_NOT_OPEN') {
      return new StoreError('STORE_CLOSED', `cannot ${what}: the store is closed`, undefined, { cause });
    }
    return new StoreError('IO', `cannot ${what}: ${(cause as Error).message}`, undefined, { cause });
  }
}
