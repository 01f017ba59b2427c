/**
 * Sealing records: AES-256-GCM with a fresh random 96-bit nonce per encryption and a 16-byte tag.
 *
 * Envelope format, version 1 (binary, stored as the LevelDB value):
 *
 *   offset  size  field
 *   0       1     format version (= schema version) = 0x01
 *   1       4     key id, uint32 big-endian (which data key in the ring sealed it)
 *   5       12    nonce (random)
 *   17      n     ciphertext of the UTF-8 JSON value
 *   17+n    16    GCM tag
 *
 * Associated data (authenticated, not stored): "shippi.record\0", the version byte, the key id, then the
 * namespace and the id, each as uint32 length + UTF-8 bytes. A value copied under another id, another
 * namespace, or relabelled with another key id therefore fails to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { StoreError } from './types.js';

/** The envelope format (and record schema) version written by this code. */
export const ENVELOPE_VERSION = 1;
const HEADER = 1 + 4 + 12;
const TAG = 16;
const DOMAIN = Buffer.from('shippi.record\0', 'utf8');

/** A data key and its id in the key ring. */
export interface DataKey {
  readonly id: number;
  readonly key: Buffer;
}

/** Human-readable name of a record in error messages (ids are random, so they leak nothing). */
export function recordName(ns: string, id: string): string {
  return `${ns}/${id}`;
}

function associatedData(version: number, keyId: number, ns: string, id: string): Buffer {
  const nsBytes = Buffer.from(ns, 'utf8');
  const idBytes = Buffer.from(id, 'utf8');
  const ad = Buffer.alloc(DOMAIN.length + 1 + 4 + 4 + nsBytes.length + 4 + idBytes.length);
  let at = DOMAIN.copy(ad, 0);
  at = ad.writeUInt8(version, at);
  at = ad.writeUInt32BE(keyId, at);
  at = ad.writeUInt32BE(nsBytes.length, at);
  at += nsBytes.copy(ad, at);
  at = ad.writeUInt32BE(idBytes.length, at);
  idBytes.copy(ad, at);
  return ad;
}

// randomBytes has a fixed per-call cost larger than an AES-GCM seal of a small record, so nonces are taken from a
// pool filled by the CSPRNG. Every nonce is still fresh random bytes, used once: the pool never hands out a slice twice.
const NONCE_POOL = 12 * 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function freshNonce(): Buffer {
  if (poolAt + 12 > pool.length) {
    pool = randomBytes(NONCE_POOL);
    poolAt = 0;
  }
  poolAt += 12;
  return pool.subarray(poolAt - 12, poolAt);
}

/** Seal a plaintext for record `ns`/`id` under `key`; returns the envelope. */
export function sealRecord(key: DataKey, ns: string, id: string, plaintext: Uint8Array): Buffer {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG });
  cipher.setAAD(associatedData(ENVELOPE_VERSION, key.id, ns, id));
  const out = Buffer.allocUnsafe(HEADER + plaintext.length + TAG);
  out.writeUInt8(ENVELOPE_VERSION, 0);
  out.writeUInt32BE(key.id, 1);
  nonce.copy(out, 5);
  const body = cipher.update(plaintext);
  body.copy(out, HEADER);
  const tail = cipher.final();
  tail.copy(out, HEADER + body.length);
  cipher.getAuthTag().copy(out, HEADER + body.length + tail.length);
  return out;
}

/** The key id an envelope claims (for rotation); `undefined` when the envelope is not well-formed. */
export function envelopeKeyId(envelope: Uint8Array): number | undefined {
  if (envelope.length < HEADER + TAG || envelope[0] !== ENVELOPE_VERSION) return undefined;
  return Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength).readUInt32BE(1);
}

/**
 * Open the envelope of record `ns`/`id`, looking its key up by id. Any failure (unknown version or key,
 * short input, tag mismatch) is a StoreError('INTEGRITY') naming the record.
 */
export function openRecord(keyById: (id: number) => Buffer | undefined, ns: string, id: string, envelope: Uint8Array): Buffer {
  const name = recordName(ns, id);
  const buf = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  if (buf.length < HEADER + TAG) throw new StoreError('INTEGRITY', `record ${name} is corrupted: too short to be sealed`, name);
  const version = buf.readUInt8(0);
  if (version !== ENVELOPE_VERSION) {
    throw new StoreError('INTEGRITY', `record ${name} is corrupted or from an unknown format (version ${version})`, name);
  }
  const keyId = buf.readUInt32BE(1);
  const key = keyById(keyId);
  if (!key) throw new StoreError('INTEGRITY', `record ${name} names data key ${keyId}, which is not in the key ring`, name);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(5, HEADER), { authTagLength: TAG });
    decipher.setAAD(associatedData(version, keyId, ns, id));
    decipher.setAuthTag(buf.subarray(buf.length - TAG));
    const head = decipher.update(buf.subarray(HEADER, buf.length - TAG));
    const tail = decipher.final();
    return tail.length ? Buffer.concat([head, tail]) : head;
  } catch (cause) {
    throw new StoreError('INTEGRITY', `record ${name} failed authentication: it was tampered with, corrupted, or moved from another record`, name, { cause });
  }
}
