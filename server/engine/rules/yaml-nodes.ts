/** Reading parsed YAML (and JSON read as YAML) by key: shared by the families that parse configuration files. */
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';

/** A mapping's key/value pairs (none for anything that is not a mapping). */
export function pairs(node: unknown): Pair[] {
  return isMap(node) ? (node as YAMLMap).items as Pair[] : [];
}

/** A pair's key as text ('' for a non-scalar key). */
export function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

/** The pair under `key` in a mapping, if any. */
export function get(node: unknown, key: string): Pair | undefined {
  return pairs(node).find((p) => keyName(p) === key);
}
