/**
 * An in-memory EncryptedStore for unit tests of other modules. It keeps the LevelDB store's observable
 * behaviour (the same key checks, JSON round-trip so callers cannot share mutable objects with it, UTF-8 byte
 * id order, atomic batches, STORE_CLOSED after close) but encrypts nothing: it never touches the disk.
 */
import { checkId, encodeValue, namespaceRange, recordKey, splitKey } from './keys.js';
import { StoreError, type BatchOp, type EncryptedStore, type ListOptions } from './types.js';

class MemoryStore implements EncryptedStore {
  private readonly records = new Map<string, Buffer>();
  private closed = false;

  async get<T = unknown>(ns: string, id: string): Promise<T | undefined> {
    const key = recordKey(ns, id);
    this.checkOpen();
    const raw = this.records.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as T);
  }

  put(ns: string, id: string, value: unknown): Promise<void> {
    return this.batch([{ type: 'put', ns, id, value }]);
  }

  del(ns: string, id: string): Promise<void> {
    return this.batch([{ type: 'del', ns, id }]);
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    if (!Array.isArray(ops)) throw new TypeError('batch expects an array of operations');
    const prepared = ops.map((op) => {
      const key = recordKey(op.ns, op.id);
      if (op.type === 'put') return { key, value: encodeValue(op.value) };
      if (op.type === 'del') return { key, value: undefined };
      throw new TypeError(`unknown batch operation type ${JSON.stringify((op as { type: unknown }).type)}`);
    });
    this.checkOpen();
    for (const { key, value } of prepared) {
      if (value === undefined) this.records.delete(key);
      else this.records.set(key, value);
    }
  }

  async *list<T = unknown>(ns: string, options: ListOptions = {}): AsyncIterable<[id: string, value: T]> {
    if (options.gte !== undefined) checkId(options.gte);
    if (options.lt !== undefined) checkId(options.lt);
    const range = namespaceRange(ns, options);
    this.checkOpen();
    const keys = [...this.records.keys()]
      .filter((k) => k >= range.gte && k < range.lt)
      .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    if (range.reverse) keys.reverse();
    const limited = range.limit !== undefined ? keys.slice(0, range.limit) : keys;
    for (const key of limited) {
      this.checkOpen();
      const raw = this.records.get(key);
      if (raw === undefined) continue; // deleted while iterating
      yield [splitKey(key)[1], JSON.parse(raw.toString('utf8')) as T];
    }
  }

  async rotate(): Promise<{ reencrypted: number }> {
    this.checkOpen();
    return { reencrypted: this.records.size };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }
}

/** A fresh, empty in-memory EncryptedStore. */
export function createMemoryStore(): EncryptedStore {
  return new MemoryStore();
}
