/** The result of `shippi scan` as every output format sees it: findings located and relative to cwd. */
import { SEVERITIES, type Finding, type ScanNote, type Severity } from '../../../server/engine/index.js';
import type { FindingLocation, TreeScanResult } from '../../../server/workspace/scan-tree.js';

/** One finding with where it is. */
export interface ReportFinding {
  /** Relative to the current directory, forward slashes. */
  readonly file: string;
  readonly location: FindingLocation;
  readonly finding: Finding;
}

/** What a format renders. Findings are sorted by file, then position. */
export interface Report {
  readonly findings: readonly ReportFinding[];
  readonly notes: readonly { readonly file: string; readonly note: ScanNote }[];
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  readonly stats: TreeScanResult['stats'];
  /** How many findings a baseline hid. */
  readonly baselined: number;
  /** The size cap in force, for the summary. */
  readonly maxFileBytes: number;
}

/** The message a user sees: the rule's message plus, for secrets, the redacted form (never the value). */
export function displayMessage(f: Finding): string {
  return f.redacted !== undefined ? `${f.message} (${f.redacted})` : f.message;
}

/** Rank of a severity: 0 = critical … 4 = info. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Findings counted per severity, most severe first, omitting zeros. */
export function countBySeverity(findings: readonly ReportFinding[]): [Severity, number][] {
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.finding.severity, (counts.get(f.finding.severity) ?? 0) + 1);
  return SEVERITIES.filter((s) => counts.has(s)).map((s) => [s, counts.get(s)!]);
}

/** Skipped files grouped by the kind of reason ("binary", "too large", …), with counts. */
export function skippedByReason(skipped: Report['skipped']): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const kind = s.reason.replace(/\s*\(.*$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}
