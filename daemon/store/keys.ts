/**
 * Record keys as stored in LevelDB: `namespace` + NUL + `id`. Namespaces are short lowercase names chosen by
 * code; ids are chosen by callers (random ids, so keys leak nothing). Both are checked here: a bad one is a
 * programmer mistake, so a TypeError.
 */
import type { ListOptions } from './types.js';

/** Separates the namespace from the id; it may appear in neither, so namespace ranges never overlap. */
export const SEPARATOR = '\x00';
const NS_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_ID_BYTES = 512;

/** Throw a TypeError unless `ns` is a valid namespace name. */
export function checkNamespace(ns: string): void {
  if (typeof ns !== 'string' || !NS_PATTERN.test(ns)) {
    throw new TypeError(`namespace must match ${NS_PATTERN} (got ${JSON.stringify(String(ns)).slice(0, 80)})`);
  }
}

/** Throw a TypeError unless `id` is a valid record id. */
export function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.includes(SEPARATOR) || Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    throw new TypeError(`record id must be a non-empty string without NUL, at most ${MAX_ID_BYTES} bytes`);
  }
}

/** The LevelDB key of record `ns`/`id`. */
export function recordKey(ns: string, id: string): string {
  checkNamespace(ns);
  checkId(id);
  return ns + SEPARATOR + id;
}

/** Split a LevelDB key back into namespace and id. */
export function splitKey(key: string): [ns: string, id: string] {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? ['', key] : [key.slice(0, at), key.slice(at + 1)];
}

/** LevelDB range options covering namespace `ns`, narrowed by the caller's id range. */
export function namespaceRange(ns: string, options: ListOptions = {}): { gte: string; lt: string; limit?: number; reverse?: boolean } {
  checkNamespace(ns);
  const range: { gte: string; lt: string; limit?: number; reverse?: boolean } = {
    gte: ns + SEPARATOR + (options.gte ?? ''),
    lt: options.lt !== undefined ? ns + SEPARATOR + options.lt : ns + '\x01',
  };
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new TypeError('limit must be a non-negative integer');
    range.limit = options.limit;
  }
  if (options.reverse !== undefined) range.reverse = options.reverse;
  return range;
}

/** Serialise a value for sealing; only JSON-serialisable values are accepted. */
export function encodeValue(value: unknown): Buffer {
  const json = value === undefined ? undefined : JSON.stringify(value);
  if (json === undefined) throw new TypeError('value must be JSON-serialisable (undefined and functions are not)');
  return Buffer.from(json, 'utf8');
}
