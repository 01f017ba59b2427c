/**
 * The encrypted store's interface: what daemon/tasks, daemon/audit and the server program against.
 * Values are JSON-serialisable objects; keys are `namespace` + `id` (random ids: keys leak nothing).
 * Every value is sealed with AES-256-GCM, bound by associated data to its namespace, id, schema version
 * and key id. Errors carry a stable `code` (see StoreError).
 */

/** Stable error codes; documented in README, never renamed. */
export type StoreErrorCode =
  | 'WRONG_PASSPHRASE'   // the key-encryption key does not open the key ring; nothing on disk changed
  | 'INTEGRITY'          // a record failed authentication (tampered, corrupted, or moved under another key)
  | 'KEYRING_INVALID'    // the key ring file is malformed or its KDF parameters are out of bounds
  | 'STORE_CLOSED'       // used after close()
  | 'LOCKED'             // another process holds the store
  | 'IO';                // the disk refused a read or write

/** A store failure with a stable code and, for INTEGRITY, the record that failed. */
export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string, readonly record?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** One write in an atomic batch. */
export type BatchOp =
  | { readonly type: 'put'; readonly ns: string; readonly id: string; readonly value: unknown }
  | { readonly type: 'del'; readonly ns: string; readonly id: string };

/** Range options for listing a namespace, by id. */
export interface ListOptions {
  readonly gte?: string;
  readonly lt?: string;
  readonly limit?: number;
  readonly reverse?: boolean;
}

/** An encrypted key-value store. A missing key reads as `undefined`. */
export interface EncryptedStore {
  get<T = unknown>(ns: string, id: string): Promise<T | undefined>;
  put(ns: string, id: string, value: unknown): Promise<void>;
  del(ns: string, id: string): Promise<void>;
  /** Apply all operations atomically (an index update rides in the same batch as its record). */
  batch(ops: readonly BatchOp[]): Promise<void>;
  /** Entries of a namespace in id order. */
  list<T = unknown>(ns: string, options?: ListOptions): AsyncIterable<[id: string, value: T]>;
  /** Re-encrypt every record under a fresh data key; resumable if interrupted. */
  rotate(): Promise<{ reencrypted: number }>;
  close(): Promise<void>;
}

/** How to unlock the key ring: a passphrase, or (the embedded default) a random 0600 key file in the state dir. */
export interface UnlockOptions {
  /** The state directory (created 0700 if missing). */
  readonly dir: string;
  readonly passphrase?: string;
}

/** An opened store plus the audit MAC key, which the key ring holds separately from the data key. */
export interface OpenedStore {
  readonly store: EncryptedStore;
  readonly auditKey: Uint8Array;
}
