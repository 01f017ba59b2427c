/**
 * SARIF 2.1.0 output, shaped for GitHub code scanning: every registry rule with help and CWE tags, a
 * `security-severity` per rule, results with relative URIs under `%SRCROOT%`, and Shippi's own fingerprint
 * as a partial fingerprint (stable across line moves, never derived from a secret's value).
 */
import { pathToFileURL } from 'node:url';
import packageJson from '../../../package.json' with { type: 'json' };
import { ALL_RULES, ruleDocsUrl, type RuleMeta, type Severity } from '../../../server/engine/index.js';
import { displayMessage, type Report } from './report.js';
import { ruleMarkdown, ruleText } from './rule-docs.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/shippi-dev/shippi';
const MAX_NOTIFICATIONS = 200;

/** SARIF result level for a severity. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub's security-severity score (a number in a string): ≥9 critical, 7–8.9 high, 4–6.9 medium, else low. */
export function securitySeverity(s: Severity): string {
  return { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' }[s];
}

function ruleName(id: string): string {
  return id.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function sarifRule(rule: RuleMeta): object {
  const cweTags = rule.cwe.map((c) => `external/cwe/${c.toLowerCase()}`);
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: ruleText(rule), markdown: ruleMarkdown(rule, '##') },
    helpUri: ruleDocsUrl(rule.id),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ['security', rule.category, ...cweTags],
      'security-severity': securitySeverity(rule.severity),
      precision: rule.id.includes('generic') ? 'medium' : 'high',
      'problem.severity': sarifLevel(rule.severity) === 'note' ? 'recommendation' : sarifLevel(rule.severity),
    },
  };
}

/** A relative path as a URI reference (each segment percent-encoded). */
function uriOf(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

/** Render a report as a SARIF 2.1.0 log; `cwd` becomes `%SRCROOT%`. */
export function formatSarif(report: Report, cwd: string): string {
  const index = new Map(ALL_RULES.map((r, i) => [r.id, i]));
  const results = report.findings.map(({ file, location, finding }) => ({
    ruleId: finding.ruleId,
    ruleIndex: index.get(finding.ruleId) ?? -1,
    level: sarifLevel(finding.severity),
    message: { text: displayMessage(finding) },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: uriOf(file), uriBaseId: '%SRCROOT%' },
        region: { startLine: location.line, startColumn: location.column, endLine: location.endLine, endColumn: location.endColumn },
      },
    }],
    partialFingerprints: { 'shippi/v1': finding.fingerprint },
    properties: { severity: finding.severity, category: finding.category },
  }));
  const notifications = [
    ...report.skipped.map((s) => ({ file: s.path, text: `skipped: ${s.reason}` })),
    ...report.notes.map((n) => ({ file: n.file, text: n.note.message })),
  ].slice(0, MAX_NOTIFICATIONS).map((n) => ({
    level: 'note',
    message: { text: n.text },
    locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(n.file), uriBaseId: '%SRCROOT%' } } }],
  }));
  const root = pathToFileURL(cwd).href;
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'shippi', informationUri: INFORMATION_URI, version: packageJson.version, semanticVersion: packageJson.version, rules: ALL_RULES.map(sarifRule) } },
      originalUriBaseIds: { '%SRCROOT%': { uri: root.endsWith('/') ? root : `${root}/` } },
      columnKind: 'utf16CodeUnits',
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
