/** Apply a fix's edits to a text (edits never overlap; applied from the end so offsets stay valid). */
import type { Fix } from '../../server/engine/index.js';

/** The text after applying every edit of a fix. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
