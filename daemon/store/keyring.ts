/**
 * The key ring: random 256-bit data keys and a separate random 256-bit audit MAC key, each wrapped with
 * AES-256-GCM under a key-encryption key (KEK). The KEK comes from the passphrase (scrypt, parameters and salt
 * stored in the ring and bounded on read) or from a random 32-byte key file `key` (0600; the default).
 * The disk never holds a data key in the clear.
 *
 * `keyring.json` (0600, replaced atomically):
 *   { "version": 1,
 *     "kek": { "kind": "keyfile" } | { "kind": "scrypt", "N", "r", "p", "salt": base64 },
 *     "active": <data key id used for new writes>,
 *     "keys": [{ "id", "wrapped": base64(nonce 12 ‖ ciphertext 32 ‖ tag 16), "encryptions", "created" }],
 *     "audit": { "wrapped": base64(…) },
 *     "rotation": null | { "target": <key id every record is being moved to> } }
 * A wrap's associated data names its purpose and key id, so wrapped keys cannot be swapped within the ring.
 *
 * `encryptions` is an upper bound on the encryptions done under that key: we persist a reservation ahead of use
 * (in blocks) and the exact figure on close, so a crash can only over-count. Before a key reaches ROTATE_AT
 * encryptions (well under the 2^32 limit for random 96-bit GCM nonces) a fresh key becomes active.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readSecretFile, writeSecretFile } from '../state.js';
import type { DataKey } from './seal.js';
import { StoreError } from './types.js';

/** File names inside the state directory. */
export const KEYRING_FILE = 'keyring.json';
export const KEY_FILE = 'key';

/** scrypt parameters used for new rings (N=2^17, r=8, p=1: ~128 MiB, a few hundred ms). */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
/** A key is retired for new writes before this many encryptions (2^32 is the hard limit). */
export const ROTATE_AT = 2 ** 31;
/** Encryption counts are persisted ahead of use in blocks this large. */
const RESERVE_BLOCK = 2 ** 16;
/** Bounds on KDF parameters read from disk, so a hostile ring cannot make us allocate gigabytes or spin. */
const MAX_SCRYPT_MEMORY = 2 ** 30; // 1 GiB = 128 * N * r * p at the most

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const powerOfTwo = z.number().int().refine((n) => n > 0 && (n & (n - 1)) === 0, 'N must be a power of two');
const ringSchema = z.strictObject({
  version: z.literal(1),
  kek: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('keyfile') }),
    z.strictObject({
      kind: z.literal('scrypt'),
      N: powerOfTwo.min(2 ** 14).max(2 ** 20),
      r: z.number().int().min(1).max(32),
      p: z.number().int().min(1).max(16),
      salt: b64.min(20).max(100),
    }).refine((k) => 128 * k.N * k.r * k.p <= MAX_SCRYPT_MEMORY, 'scrypt parameters need more than 1 GiB'),
  ]),
  active: z.number().int().min(1).max(2 ** 32 - 1),
  keys: z.array(z.strictObject({
    id: z.number().int().min(1).max(2 ** 32 - 1),
    wrapped: b64.length(80),
    encryptions: z.number().int().min(0).max(2 ** 53),
    created: z.string().max(40),
  })).min(1).max(64),
  audit: z.strictObject({ wrapped: b64.length(80) }),
  rotation: z.strictObject({ target: z.number().int().min(1) }).nullable(),
});
type RingFile = z.infer<typeof ringSchema>;

const WRAP_DOMAIN = 'shippi.keyring.v1\0';

function wrap(kek: Buffer, purpose: string, key: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(WRAP_DOMAIN + purpose, 'utf8'));
  return Buffer.concat([nonce, cipher.update(key), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

function unwrap(kek: Buffer, purpose: string, wrapped: string): Buffer | undefined {
  const buf = Buffer.from(wrapped, 'base64');
  if (buf.length !== 60) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, buf.subarray(0, 12), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(WRAP_DOMAIN + purpose, 'utf8'));
    decipher.setAuthTag(buf.subarray(44));
    return Buffer.concat([decipher.update(buf.subarray(12, 44)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function scrypt(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 128 * r * (N + p + 2) + 2 ** 20;
    scryptCallback(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new TypeError('passphrase must be a non-empty string');
}

/** Key ring creation options (KDF strength is fixed in production; tests may not weaken it below the read bounds). */
export interface KeyRingOptions {
  readonly passphrase?: string | undefined;
  /** Test seam: retire a key after this many encryptions instead of ROTATE_AT. */
  readonly rotateAt?: number | undefined;
}

/** An unlocked key ring: the data keys (by id), the audit key, and the encryption counter. */
export class KeyRing {
  private used: number;
  private readonly rotateAt: number;

  private constructor(
    private readonly path: string,
    private file: RingFile,
    private kek: Buffer,
    private readonly dataKeys: Map<number, Buffer>,
    readonly auditKey: Buffer,
    options: KeyRingOptions,
  ) {
    this.used = this.entry(file.active).encryptions;
    this.rotateAt = Math.min(options.rotateAt ?? ROTATE_AT, ROTATE_AT);
  }

  /**
   * Unlock an existing ring without writing anything; `undefined` when there is no ring yet.
   * A KEK that does not open it is StoreError('WRONG_PASSPHRASE'); a malformed ring is 'KEYRING_INVALID'.
   */
  static async unlock(dir: string, options: KeyRingOptions = {}): Promise<KeyRing | undefined> {
    const path = join(dir, KEYRING_FILE);
    const raw = await readSecretFile(path);
    if (raw === undefined) return undefined;
    let file: RingFile;
    try {
      if (raw.length > 64 * 1024) throw new Error('file is larger than 64 KiB');
      const parsed = ringSchema.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'ring'}: ${i.message}`).join('; '));
      file = parsed.data;
    } catch (cause) {
      throw new StoreError('KEYRING_INVALID', `key ring ${path} is malformed: ${(cause as Error).message}`, undefined, { cause });
    }
    if (!file.keys.some((k) => k.id === file.active)) throw new StoreError('KEYRING_INVALID', `key ring ${path} has no entry for its active key ${file.active}`);
    if (file.rotation && file.rotation.target !== file.active) throw new StoreError('KEYRING_INVALID', `key ring ${path} has a rotation target that is not the active key`);
    const kek = await deriveKek(dir, file, options.passphrase);
    const active = unwrap(kek, `data\0${file.active}`, file.keys.find((k) => k.id === file.active)!.wrapped);
    if (!active) {
      throw new StoreError('WRONG_PASSPHRASE', file.kek.kind === 'scrypt'
        ? 'wrong passphrase: it does not unlock the key ring (nothing was changed)'
        : `the key file ${join(dir, KEY_FILE)} does not unlock the key ring (nothing was changed)`);
    }
    // The KEK is right, so any other wrap that fails to open means the ring itself was altered.
    const dataKeys = new Map<number, Buffer>();
    for (const k of file.keys) {
      const key = unwrap(kek, `data\0${k.id}`, k.wrapped);
      if (!key) throw new StoreError('KEYRING_INVALID', `key ring ${path}: data key ${k.id} fails authentication`);
      dataKeys.set(k.id, key);
    }
    const auditKey = unwrap(kek, 'audit', file.audit.wrapped);
    if (!auditKey) throw new StoreError('KEYRING_INVALID', `key ring ${path}: the audit key fails authentication`);
    return new KeyRing(path, file, kek, dataKeys, auditKey, options);
  }

  /** Create and persist a new ring (and, without a passphrase, the key file if it does not exist yet). */
  static async create(dir: string, options: KeyRingOptions = {}): Promise<KeyRing> {
    const { kek, kekInfo } = await makeKek(dir, options.passphrase, true);
    const dataKey = randomBytes(32);
    const auditKey = randomBytes(32);
    const file: RingFile = {
      version: 1,
      kek: kekInfo,
      active: 1,
      keys: [{ id: 1, wrapped: wrap(kek, 'data\x001', dataKey), encryptions: 0, created: new Date().toISOString() }],
      audit: { wrapped: wrap(kek, 'audit', auditKey) },
      rotation: null,
    };
    const ring = new KeyRing(join(dir, KEYRING_FILE), file, kek, new Map([[1, dataKey]]), auditKey, options);
    await ring.persist();
    return ring;
  }

  /** The raw data key with this id, if the ring holds it. */
  keyById = (id: number): Buffer | undefined => this.dataKeys.get(id);

  /** The key new records are sealed under. */
  get active(): DataKey {
    return { id: this.file.active, key: this.dataKeys.get(this.file.active)! };
  }

  /** The key id a rotation in progress is moving every record to, or `undefined`. */
  get rotationTarget(): number | undefined {
    return this.file.rotation?.target;
  }

  /** Ids of every data key in the ring. */
  get keyIds(): number[] {
    return this.file.keys.map((k) => k.id);
  }

  /** Encryptions done so far under the active key (an upper bound across crashes). */
  get encryptions(): number {
    return this.used;
  }

  /**
   * Account for `n` encryptions about to happen under the active key: retire the key first if they would
   * reach the limit, and persist a fresh reservation when the persisted bound would be exceeded.
   */
  async reserve(n: number): Promise<void> {
    if (this.used + n > this.rotateAt) await this.addActiveKey(false);
    const entry = this.entry(this.file.active);
    if (this.used + n > entry.encryptions) {
      this.setCount(this.file.active, this.used + n + RESERVE_BLOCK);
      await this.persist();
    }
    this.used += n;
  }

  /** Start a rotation: a fresh data key becomes active and the ring records that every record must move to it. */
  async beginRotation(): Promise<number> {
    if (this.file.rotation) return this.file.rotation.target;
    await this.addActiveKey(true);
    return this.file.active;
  }

  /** Finish a rotation: every record is under the target key, so drop the others. */
  async finishRotation(): Promise<void> {
    const target = this.file.rotation?.target;
    if (target === undefined) return;
    this.file = { ...this.file, keys: this.file.keys.filter((k) => k.id === target), rotation: null };
    for (const id of [...this.dataKeys.keys()]) if (id !== target) this.dataKeys.delete(id);
    await this.persist();
  }

  /** Persist the exact encryption count (called on close) so reservations are not wasted. */
  async flushCount(): Promise<void> {
    if (this.entry(this.file.active).encryptions === this.used) return;
    this.setCount(this.file.active, this.used);
    await this.persist();
  }

  /**
   * Re-wrap every key under a new key-encryption key: a new passphrase, or (undefined) a fresh random key file.
   * The ring file is replaced atomically; a key file no longer in use is removed afterwards.
   */
  async rekey(newPassphrase: string | undefined): Promise<void> {
    if (newPassphrase === undefined && this.file.kek.kind === 'keyfile') return; // already on a key file
    const dir = dirname(this.path);
    // Going to a key file: it is written before the ring that needs it, and the current ring (scrypt) does not
    // use it, so a crash in between leaves a ring that still opens with the old passphrase.
    const { kek, kekInfo } = await makeKek(dir, newPassphrase, false);
    const file: RingFile = {
      ...this.file,
      kek: kekInfo,
      keys: this.file.keys.map((k) => ({ ...k, wrapped: wrap(kek, `data\0${k.id}`, this.dataKeys.get(k.id)!) })),
      audit: { wrapped: wrap(kek, 'audit', this.auditKey) },
    };
    const previous = this.file;
    this.file = file;
    try {
      await this.persist();
    } catch (err) {
      this.file = previous;
      throw err;
    }
    this.kek = kek;
    if (newPassphrase !== undefined) await rm(join(dir, KEY_FILE), { force: true });
  }

  private async addActiveKey(rotating: boolean): Promise<void> {
    const id = Math.max(...this.file.keys.map((k) => k.id)) + 1;
    if (id > 2 ** 32 - 1) throw new StoreError('KEYRING_INVALID', 'the key ring has run out of key ids');
    const key = randomBytes(32);
    this.setCount(this.file.active, this.used);
    this.file = {
      ...this.file,
      active: id,
      keys: [...this.file.keys, { id, wrapped: wrap(this.kek, `data\0${id}`, key), encryptions: 0, created: new Date().toISOString() }],
      rotation: rotating ? { target: id } : this.file.rotation && { target: id },
    };
    this.dataKeys.set(id, key);
    this.used = 0;
    await this.persist();
  }

  private entry(id: number): RingFile['keys'][number] {
    return this.file.keys.find((k) => k.id === id)!;
  }

  private setCount(id: number, encryptions: number): void {
    this.file = { ...this.file, keys: this.file.keys.map((k) => (k.id === id ? { ...k, encryptions } : k)) };
  }

  private async persist(): Promise<void> {
    try {
      await writeSecretFile(this.path, JSON.stringify(this.file, null, 2) + '\n');
    } catch (cause) {
      throw new StoreError('IO', `cannot write the key ring ${this.path}: ${(cause as Error).message}`, undefined, { cause });
    }
  }
}

/** A new key-encryption key: from a passphrase (fresh salt) or a random key file (reusing a valid one if asked). */
async function makeKek(dir: string, passphrase: string | undefined, reuseKeyFile: boolean): Promise<{ kek: Buffer; kekInfo: RingFile['kek'] }> {
  if (passphrase !== undefined) {
    checkPassphrase(passphrase);
    const salt = randomBytes(32);
    const kek = await scrypt(passphrase, salt, DEFAULT_SCRYPT.N, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p);
    return { kek, kekInfo: { kind: 'scrypt', ...DEFAULT_SCRYPT, salt: salt.toString('base64') } };
  }
  const keyPath = join(dir, KEY_FILE);
  // Reuse a key file left by a crash between writing it and writing the ring.
  const existing = reuseKeyFile ? await readSecretFile(keyPath) : undefined;
  if (existing && existing.length === 32) return { kek: existing, kekInfo: { kind: 'keyfile' } };
  const kek = randomBytes(32);
  try {
    await writeSecretFile(keyPath, kek);
  } catch (cause) {
    throw new StoreError('IO', `cannot write the key file ${keyPath}: ${(cause as Error).message}`, undefined, { cause });
  }
  return { kek, kekInfo: { kind: 'keyfile' } };
}

async function deriveKek(dir: string, file: RingFile, passphrase: string | undefined): Promise<Buffer> {
  if (file.kek.kind === 'scrypt') {
    if (passphrase === undefined) {
      throw new StoreError('WRONG_PASSPHRASE', 'the key ring is protected by a passphrase: set SHIPPI_PASSPHRASE or use --passphrase-file');
    }
    checkPassphrase(passphrase);
    const salt = Buffer.from(file.kek.salt, 'base64');
    if (salt.length < 16 || salt.length > 64) throw new StoreError('KEYRING_INVALID', 'key ring salt must be 16 to 64 bytes');
    return scrypt(passphrase, salt, file.kek.N, file.kek.r, file.kek.p);
  }
  if (passphrase !== undefined) {
    throw new StoreError('WRONG_PASSPHRASE', `the key ring is protected by the key file ${join(dir, KEY_FILE)}, not a passphrase`);
  }
  const key = await readSecretFile(join(dir, KEY_FILE));
  if (key === undefined) throw new StoreError('KEYRING_INVALID', `the key file ${join(dir, KEY_FILE)} is missing: the key ring cannot be unlocked`);
  if (key.length !== 32) throw new StoreError('KEYRING_INVALID', `the key file ${join(dir, KEY_FILE)} must hold exactly 32 bytes`);
  return key;
}
