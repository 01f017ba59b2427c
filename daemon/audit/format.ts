/**
 * The audit log's on-disk format and its MACs.
 *
 * `audit.log`: one entry per line, each line the canonical JSON of an AuditEntry (keys sorted, no whitespace)
 * followed by "\n". An entry's `mac` is HMAC-SHA256 under the chain key over the canonical JSON of every other
 * field, `prev` (the previous entry's mac, 64 zeros for the first) included, so each entry commits to the
 * whole history before it. `seq` counts from 1.
 *
 * `audit.head`: the latest checkpoint {"hmac","mac","seq","ts"}, where `hmac` authenticates seq and mac, so a
 * truncated log (entries removed from the end) is detected up to the last checkpoint.
 *
 * Two keys are derived from the audit key (itself separate from the data key): one for the chain, one for the
 * keyed hashes of `sensitive` fields, so a field hash can never be confused with an entry MAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEntry, AuditEvent, AuditEventType } from './types.js';

/** File names inside the state directory. */
export const AUDIT_FILE = 'audit.log';
export const HEAD_FILE = 'audit.head';
/** Unterminated final lines removed on open are appended here (0600) for inspection. */
export const TORN_FILE = 'audit.torn';
/** `prev` of the first entry. */
export const GENESIS = '0'.repeat(64);
/** A line longer than this is refused on write and treated as corrupt on read. */
export const MAX_LINE = 64 * 1024;

/** Every event type, for checking input at runtime. */
export const EVENT_TYPES: ReadonlySet<AuditEventType> = new Set<AuditEventType>([
  'daemon.start', 'daemon.stop', 'auth.ok', 'auth.denied', 'permission.denied', 'rate.limited',
  'task.created', 'task.updated', 'task.deleted', 'token.created', 'token.revoked',
  'provider.added', 'provider.removed', 'model.access', 'key.rotated',
]);

/** The two keys derived from the audit key. */
export interface AuditKeys {
  readonly chain: Buffer;
  readonly field: Buffer;
}

/** Derive the chain and field-hash keys from the audit key. */
export function deriveAuditKeys(auditKey: Uint8Array): AuditKeys {
  if (!(auditKey instanceof Uint8Array) || auditKey.length < 32) throw new TypeError('the audit key must be at least 32 bytes');
  return {
    chain: createHmac('sha256', auditKey).update('shippi.audit.chain.v1').digest(),
    field: createHmac('sha256', auditKey).update('shippi.audit.field.v1').digest(),
  };
}

/** JSON with object keys sorted at every level and no whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The keyed hash stored in place of sensitive field `name` = `value` (hex). */
export function hashSensitive(keys: AuditKeys, name: string, value: string): string {
  return createHmac('sha256', keys.field).update(`${name}\0${value}`, 'utf8').digest('hex');
}

/** The MAC of an entry (every field but `mac`). */
export function entryMac(keys: AuditKeys, entry: Omit<AuditEntry, 'mac'>): string {
  const { seq, ts, type, actor, detail, hashed, prev } = entry;
  return createHmac('sha256', keys.chain).update(canonicalJson({ seq, ts, type, actor, detail, hashed, prev }), 'utf8').digest('hex');
}

/** Constant-time comparison of two hex MACs. */
export function macEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Check an event from a caller; a malformed one is a programmer mistake (TypeError). */
export function checkEvent(event: AuditEvent): void {
  if (!event || typeof event !== 'object') throw new TypeError('audit event must be an object');
  if (!EVENT_TYPES.has(event.type)) throw new TypeError(`unknown audit event type ${JSON.stringify(event.type)}`);
  if (typeof event.actor !== 'string' || event.actor.length === 0 || event.actor.length > 256) {
    throw new TypeError('audit actor must be a non-empty string of at most 256 characters');
  }
  for (const [name, v] of Object.entries(event.detail ?? {})) {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok || name.length > 128) throw new TypeError(`audit detail ${JSON.stringify(name)} must be a string, finite number or boolean`);
  }
  for (const [name, v] of Object.entries(event.sensitive ?? {})) {
    if (typeof v !== 'string' || name.length > 128) throw new TypeError(`audit sensitive field ${JSON.stringify(name)} must be a string`);
  }
}

/** Build the next entry of the chain for `event`. */
export function makeEntry(keys: AuditKeys, event: AuditEvent, seq: number, prev: string, ts: string): AuditEntry {
  const hashed: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.sensitive ?? {})) hashed[name] = hashSensitive(keys, name, value);
  const body = { seq, ts, type: event.type, actor: event.actor, detail: { ...(event.detail ?? {}) }, hashed, prev };
  return { ...body, mac: entryMac(keys, body) };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parse one line into an entry, or return why it is not one (shape only; the MAC is checked by the caller). */
export function parseEntry(line: string): AuditEntry | string {
  if (line.length > MAX_LINE) return 'the line is too long to be an entry';
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'the line is not valid JSON';
  }
  const e = v as Record<string, unknown>;
  const flat = (o: unknown, ok: (x: unknown) => boolean): boolean =>
    typeof o === 'object' && o !== null && !Array.isArray(o) && Object.values(o).every(ok);
  const keys = e && typeof e === 'object' ? Object.keys(e).sort().join(',') : '';
  if (
    keys !== 'actor,detail,hashed,mac,prev,seq,ts,type' ||
    !Number.isSafeInteger(e['seq']) || (e['seq'] as number) < 1 ||
    typeof e['ts'] !== 'string' || typeof e['actor'] !== 'string' ||
    !EVENT_TYPES.has(e['type'] as AuditEventType) ||
    !flat(e['detail'], (x) => typeof x === 'string' || typeof x === 'boolean' || typeof x === 'number') ||
    !flat(e['hashed'], (x) => typeof x === 'string') ||
    typeof e['prev'] !== 'string' || !HEX64.test(e['prev']) ||
    typeof e['mac'] !== 'string' || !HEX64.test(e['mac'])
  ) {
    return 'the line does not have the shape of an entry';
  }
  return v as AuditEntry;
}

/** A checkpoint of the chain head. */
export interface Head {
  readonly seq: number;
  readonly mac: string;
  readonly ts: string;
}

/** Serialise a checkpoint with its own MAC. */
export function formatHead(keys: AuditKeys, head: Head): string {
  const hmac = createHmac('sha256', keys.chain).update(`head\0${head.seq}\0${head.mac}\0${head.ts}`, 'utf8').digest('hex');
  return canonicalJson({ ...head, hmac }) + '\n';
}

/** Parse and authenticate a checkpoint; a string says why it is not valid. */
export function parseHead(keys: AuditKeys, text: string): Head | string {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'the checkpoint is not valid JSON';
  }
  if (!v || typeof v !== 'object' || !Number.isSafeInteger(v['seq']) || (v['seq'] as number) < 0 ||
    typeof v['mac'] !== 'string' || typeof v['ts'] !== 'string' || typeof v['hmac'] !== 'string') {
    return 'the checkpoint does not have the expected fields';
  }
  const head: Head = { seq: v['seq'] as number, mac: v['mac'], ts: v['ts'] };
  const expected = JSON.parse(formatHead(keys, head)) as { hmac: string };
  if (!macEquals(expected.hmac, v['hmac'])) return 'the checkpoint fails authentication';
  return head;
}
