/**
 * `shippi scan`'s flags, and the early start of its worker threads. Kept apart from scan.ts (which loads the
 * engine and the config schema) so the CLI can start the workers before loading anything heavy.
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prestartScanWorkers } from '../../server/workspace/scan-workers.js';

/** The flags of `shippi scan` (node:util parseArgs form). */
export const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  only: { type: 'string' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  staged: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Start scan workers when the arguments ask for a walk of a directory, so their start-up overlaps the
 * command's. Errors in the arguments are left to the command, which reports them.
 */
export function prestartForScan(argv: readonly string[]): void {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: SCAN_OPTIONS, allowPositionals: true, strict: false });
    if (values.help || values.staged) return;
    const paths = positionals.length > 0 ? positionals : ['.'];
    if (paths.some((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory())) prestartScanWorkers();
  } catch {
    // the command itself will name the problem
  }
}
