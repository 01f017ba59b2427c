/**
 * Suppression comments: `shippi-ignore-next-line RULE[,RULE…] -- reason` on the line before a finding, or
 * `shippi-ignore-line RULE -- reason` on its line, written in the file's own comment syntax. With no rule
 * listed every rule is suppressed; `category.*` matches a whole category.
 */
import { commentSyntax } from './language.js';
import type { LineIndex } from './text.js';
import type { Language } from './types.js';

const MARKER = /shippi-ignore-(next-line|line)\b([^\n]*)/g;

/** The rules a line's suppression covers; an empty list means every rule. */
interface Suppression {
  readonly rules: readonly string[];
}

/** Where suppressions apply: target line → suppression. */
export type SuppressionMap = ReadonlyMap<number, readonly Suppression[]>;

/** Find every suppression comment in a text. Cheap when there are none (one indexOf). */
export function findSuppressions(text: string, lines: LineIndex): SuppressionMap {
  const map = new Map<number, Suppression[]>();
  if (text.indexOf('shippi-ignore-') < 0) return map;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const line = lines.lineAt(m.index);
    const target = m[1] === 'next-line' ? line + 1 : line;
    const rest = (m[2] ?? '').split(/\s--\s|\s--$|-->|\*\//)[0] ?? '';
    const rules = rest.split(/[\s,]+/).filter((r) => /^[a-z0-9-]+(\.[a-z0-9*-]+)*$/i.test(r));
    const list = map.get(target) ?? [];
    list.push({ rules });
    map.set(target, list);
  }
  return map;
}

/** Whether a rule is suppressed on a line. */
export function isSuppressed(map: SuppressionMap, line: number, ruleId: string): boolean {
  const found = map.get(line);
  if (!found) return false;
  return found.some((s) => s.rules.length === 0 || s.rules.some((r) => ruleMatches(r, ruleId)));
}

function ruleMatches(pattern: string, ruleId: string): boolean {
  if (pattern === ruleId || pattern === '*' || pattern === 'all') return true;
  return pattern.endsWith('.*') && ruleId.startsWith(pattern.slice(0, -1));
}

/** The comment to insert above a line to suppress a rule there, indented like that line. */
export function suppressionComment(language: Language, ruleId: string, indent: string): string {
  const syntax = commentSyntax(language);
  const body = `shippi-ignore-next-line ${ruleId} -- reason: `;
  return `${indent}${syntax.open} ${body}${syntax.close ? ` ${syntax.close}` : ''}\n`;
}
