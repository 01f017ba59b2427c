/** The `--format json` contract of DESIGN.md: one object, version 1. Do not change field names or meanings. */
import type { Report } from './report.js';
import { displayMessage } from './report.js';

/** Render a report as the JSON contract. */
export function formatJson(report: Report): string {
  const findings = report.findings.map(({ file, location, finding }) => ({
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    message: displayMessage(finding),
    file,
    line: location.line,
    column: location.column,
    endLine: location.endLine,
    endColumn: location.endColumn,
    cwe: [...finding.cwe],
    fingerprint: finding.fingerprint,
  }));
  const { files, bytes, ms } = report.stats;
  return `${JSON.stringify({ version: 1, findings, stats: { files, bytes, ms } }, null, 2)}\n`;
}
