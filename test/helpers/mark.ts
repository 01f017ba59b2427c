/** Test helpers: marked snippets. `mark('x = «bad»')` → the text without the marks and the marked span. */

/** A marked span's offsets in the unmarked text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Strip «…» marks from a snippet; returns the text and every marked span in order. */
export function markAll(marked: string): [string, Span[]] {
  let text = '';
  const spans: Span[] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === '«') open = text.length;
    else if (ch === '»') {
      spans.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return [text, spans];
}

/** Strip one «…» mark from a snippet; returns the text and the marked span. */
export function mark(marked: string): [string, Span] {
  const [text, spans] = markAll(marked);
  if (spans.length !== 1) throw new TypeError(`expected exactly one «…» mark, found ${spans.length}`);
  return [text, spans[0]!];
}
