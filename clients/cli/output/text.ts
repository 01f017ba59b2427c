/** The terminal format: findings grouped by file as `path:line:col  severity  ruleId  message`, then a summary. */
import { formatBytes } from '../../../server/workspace/scan-tree.js';
import type { Palette } from './colour.js';
import { countBySeverity, displayMessage, skippedByReason, type Report } from './report.js';
import { forTerminal } from './terminal.js';

const MAX_NOTES_SHOWN = 10;

/** Render a report for people. File names, messages and notes come from the scanned tree: each is printed through `forTerminal`. */
export function formatText(report: Report, palette: Palette): string {
  const out: string[] = [];
  let currentFile: string | undefined;
  for (const { file, location, finding } of report.findings) {
    if (file !== currentFile) {
      if (currentFile !== undefined) out.push('');
      currentFile = file;
    }
    const where = `${forTerminal(file)}:${location.line}:${location.column}`;
    out.push(`${palette.bold(where)}  ${palette.severity(finding.severity, finding.severity.padEnd(8))}  ${palette.dim(finding.ruleId)}  ${forTerminal(displayMessage(finding))}`);
  }
  if (report.findings.length > 0) out.push('');
  if (report.notes.length > 0) {
    out.push(palette.dim(`notes (${report.notes.length}):`));
    for (const { file, note } of report.notes.slice(0, MAX_NOTES_SHOWN)) out.push(palette.dim(`  ${forTerminal(file)}: ${forTerminal(note.message)}`));
    if (report.notes.length > MAX_NOTES_SHOWN) out.push(palette.dim(`  … and ${report.notes.length - MAX_NOTES_SHOWN} more (see --format json)`));
  }
  out.push(summaryLine(report, palette));
  return `${out.join('\n')}\n`;
}

/** One line: findings by severity, files, size, time, what was skipped and why. */
export function summaryLine(report: Report, palette: Palette): string {
  const n = report.findings.length;
  const head = n === 0
    ? 'no findings'
    : `${n} finding${n === 1 ? '' : 's'} (${countBySeverity(report.findings).map(([s, c]) => palette.severity(s, `${c} ${s}`)).join(', ')})`;
  const parts = [`${report.stats.files} file${report.stats.files === 1 ? '' : 's'}`, `${(report.stats.bytes / 1e6).toFixed(1)} MB`, `${report.stats.ms} ms`];
  let line = `${palette.bold(head)} · ${parts.join(', ')}`;
  if (report.baselined > 0) line += ` · ${report.baselined} hidden by baseline`;
  if (report.skipped.length > 0) {
    const reasons = skippedByReason(report.skipped).map(([reason, c]) =>
      reason === 'too large' ? `${c} over the ${formatBytes(report.maxFileBytes)} size cap` : `${c} ${forTerminal(reason)}`);
    line += ` · ${report.skipped.length} skipped (${reasons.join(', ')})`;
  }
  return line;
}
