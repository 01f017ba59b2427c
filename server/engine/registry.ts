/** The one registry of rule metadata: docs, SARIF, hovers and code actions read it from here. */
import { FAMILIES } from './rules/index.js';
import { compareStrings } from './text.js';
import type { RuleMeta } from './types.js';

function collect(): ReadonlyMap<string, RuleMeta> {
  const map = new Map<string, RuleMeta>();
  for (const family of FAMILIES) {
    for (const rule of family.rules) {
      if (map.has(rule.id)) throw new TypeError(`duplicate rule id ${rule.id}`);
      map.set(rule.id, rule);
    }
  }
  return map;
}

const REGISTRY = collect();

/** Every rule, sorted by id. */
export const ALL_RULES: readonly RuleMeta[] = [...REGISTRY.values()].sort((a, b) => compareStrings(a.id, b.id));

/** A rule's metadata, or `undefined` for an unknown id. */
export function ruleById(id: string): RuleMeta | undefined {
  return REGISTRY.get(id);
}

/** Where a rule's documentation lives (the rules reference shipped with Shippi). */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/shippi-dev/shippi/blob/main/server/engine/rules/README.md#${id.replace(/\./g, '')}`;
}
