/** Terminal colours, used only when the output is a TTY and NO_COLOR is not set (https://no-color.org). */
import type { Severity } from '../../../server/engine/index.js';

/** A set of styling functions; the plain one returns text unchanged. */
export interface Palette {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly severity: (s: Severity, text: string) => string;
}

const wrap = (open: number, close: number) => (s: string): string => `\x1b[${open}m${s}\x1b[${close}m`;

const SEVERITY_CODES: Record<Severity, number> = { critical: 35, high: 31, medium: 33, low: 36, info: 90 };

/** Palette with ANSI colours. */
export const ansi: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  severity: (s, text) => wrap(SEVERITY_CODES[s], 39)(text),
};

/** Palette that leaves text alone. */
export const plain: Palette = { bold: (s) => s, dim: (s) => s, severity: (_s, text) => text };

/** Whether to colour a stream: a TTY, and NO_COLOR unset or empty. */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
