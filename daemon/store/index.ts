/**
 * The store's public surface: `openStore` unlocks the key ring in the state directory and opens the encrypted
 * LevelDB store; `createMemoryStore` is an in-memory EncryptedStore for other modules' unit tests.
 */
import { Level } from 'level';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureStateDir, tightenSecretFile } from '../state.js';
import { KEY_FILE, KEYRING_FILE, KeyRing } from './keyring.js';
import { LevelEncryptedStore, type LevelStoreOptions } from './level.js';
import { StoreError, type OpenedStore, type UnlockOptions } from './types.js';

export { StoreError } from './types.js';
export type { BatchOp, EncryptedStore, ListOptions, OpenedStore, StoreErrorCode, UnlockOptions } from './types.js';
export { LevelEncryptedStore, type KeyStatus, type LevelStoreOptions } from './level.js';
export { createMemoryStore } from './memory.js';
export { DEFAULT_SCRYPT, KEY_FILE, KEYRING_FILE, ROTATE_AT } from './keyring.js';

/** The LevelDB directory inside the state directory. */
export const STORE_DIR = 'store';

/** Options for openStore: how to unlock, plus tuning and test seams. */
export interface OpenStoreOptions extends UnlockOptions, LevelStoreOptions {
  /** Test seam: retire a data key after this many encryptions (capped at ROTATE_AT). */
  readonly rotateAt?: number | undefined;
}

/** An opened LevelDB-backed store (its `store` also reports key status). */
export interface OpenedLevelStore extends OpenedStore {
  readonly store: LevelEncryptedStore;
}

/**
 * Unlock the key ring read-only and return the audit key, without opening (or locking) the store: for verifying
 * the audit log offline, even while a daemon holds the store. Throws the same StoreErrors as openStore.
 */
export async function unlockAuditKey(options: UnlockOptions): Promise<Uint8Array> {
  const ring = await KeyRing.unlock(options.dir, { passphrase: options.passphrase });
  if (!ring) throw new StoreError('KEYRING_INVALID', `there is no key ring in ${options.dir} (has the daemon ever started?)`);
  return ring.auditKey;
}

/**
 * Unlock the key ring in `options.dir` (creating the directory 0700, and on first use the ring and, without a
 * passphrase, the 0600 key file) and open the encrypted store. A wrong passphrase or key file throws
 * StoreError('WRONG_PASSPHRASE') before anything on disk is touched; a store held by another process throws
 * StoreError('LOCKED').
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedLevelStore> {
  const { dir } = options;
  if (typeof dir !== 'string' || dir === '') throw new TypeError('openStore needs the state directory');
  const ringOptions = { passphrase: options.passphrase, rotateAt: options.rotateAt };
  try {
    await ensureStateDir(dir);
  } catch (cause) {
    throw new StoreError('IO', `cannot use state directory ${dir}: ${(cause as Error).message}`, undefined, { cause });
  }
  // Unlock first, read-only: a wrong passphrase must fail before LevelDB writes its LOG or MANIFEST.
  let ring = await KeyRing.unlock(dir, ringOptions);
  const location = join(dir, STORE_DIR);
  const db = new Level<string, Buffer>(location, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  try {
    await db.open();
  } catch (cause) {
    const inner = (cause as { cause?: { code?: string } }).cause;
    if (inner?.code === 'LEVEL_LOCKED') {
      throw new StoreError('LOCKED', `the store in ${dir} is in use by another process (is the daemon already running?)`, undefined, { cause });
    }
    throw new StoreError('IO', `cannot open the store in ${dir}: ${(cause as Error).message}`, undefined, { cause });
  }
  try {
    await chmod(location, 0o700);
    // Files restored from a backup may have come back world-readable; the unlock succeeded, so fix them now.
    await tightenSecretFile(join(dir, KEYRING_FILE));
    await tightenSecretFile(join(dir, KEY_FILE));
    if (!ring) {
      // We hold LevelDB's lock, so no other process is creating a ring at the same time. Records without a ring
      // mean the ring was lost: making a new one would silently orphan them.
      for await (const _key of db.keys({ limit: 1 })) {
        throw new StoreError('KEYRING_INVALID', `the store in ${dir} has records but its key ring ${join(dir, KEYRING_FILE)} is missing`);
      }
      ring = await KeyRing.create(dir, ringOptions);
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const store = new LevelEncryptedStore(db, ring, { rotateBatchSize: options.rotateBatchSize, beforeRotateBatch: options.beforeRotateBatch });
  return { store, auditKey: ring.auditKey };
}
