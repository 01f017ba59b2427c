/**
 * Text that came from outside (file names, rule messages quoting code, task titles, model output, audit
 * details) made safe to print to a terminal (CWE-150). Left raw, an escape sequence in a file name could
 * recolour or erase lines of the report, retitle the window or write the clipboard; a newline could forge a
 * finding line; a bidirectional control could reorder what a person reads (Trojan Source, in the report
 * itself); and zero-width or tag characters could make two different names look the same.
 *
 * Each such character is shown as an escape: `\x1b` for controls (C0, DEL, C1), `\u{202e}` for the rest.
 * JSON and SARIF need none of this: JSON.stringify escapes controls, and their readers are programs.
 */

/** Controls (C0, DEL, C1), bidirectional and zero-width marks, line separators, BOM, tag characters, lone surrogates. */
const UNSAFE = /[\p{Cc}\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\u{e0000}-\u{e007f}]|\p{Cs}/gu;
const UNSAFE_TEST = new RegExp(UNSAFE.source, 'u');

function escape(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of outside text, safe for a terminal: every unsafe character (newlines included) escaped. */
export function forTerminal(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escape) : text;
}

/** Several lines of outside text (a prompt, a model's answer): newlines kept, everything else as `forTerminal`. */
export function linesForTerminal(text: string): string {
  return text.split(/\r?\n/).map(forTerminal).join('\n');
}
