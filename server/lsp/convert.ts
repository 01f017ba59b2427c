/** The one place engine values become protocol values: findings → diagnostics, fixes → workspace edits. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, DiagnosticSeverity, Range, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { lsp } from './protocol.js';
import { ruleDocsUrl, type Finding, type Fix, type Severity } from '../engine/index.js';

/** What every Shippi diagnostic carries in `data`, so code actions can find the finding again. */
export interface DiagnosticData {
  readonly fingerprint: string;
  readonly ruleId: string;
  /** The document version the diagnostic was computed for. */
  readonly version: number;
}

/** The `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'shippi';

/** Editor severity for an engine severity: critical/high → Error, medium → Warning, low → Information, info → Hint. */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'critical': case 'high': return lsp.DiagnosticSeverity.Error;
    case 'medium': return lsp.DiagnosticSeverity.Warning;
    case 'low': return lsp.DiagnosticSeverity.Information;
    case 'info': return lsp.DiagnosticSeverity.Hint;
  }
}

/** The range of two offsets in a document. */
export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

/** A finding as a diagnostic. The message is the engine's, which never holds a secret value. */
export function toDiagnostic(f: Finding, doc: TextDocument): Diagnostic {
  return diagnosticAt(f, toRange(doc, f.start, f.end), doc.version);
}

/** A finding as a diagnostic at a range already known (a tree scan computes them where the text is). */
export function diagnosticAt(f: Finding, range: Range, version: number): Diagnostic {
  const data: DiagnosticData = { fingerprint: f.fingerprint, ruleId: f.ruleId, version };
  return {
    range,
    severity: toLspSeverity(f.severity),
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    codeDescription: { href: ruleDocsUrl(f.ruleId) },
    message: f.message,
    data,
  };
}

/**
 * Edits on one document as a workspace edit (they never overlap; the client applies them at once). Versioned
 * `documentChanges` when the client supports them, so a stale fix is refused instead of misapplied.
 */
export function toWorkspaceEdit(edits: Fix['edits'], doc: TextDocument, versioned: boolean): WorkspaceEdit {
  const lspEdits: LspTextEdit[] = edits.map((e) => ({ range: toRange(doc, e.start, e.end), newText: e.newText }));
  return versioned
    ? { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: lspEdits }] }
    : { changes: { [doc.uri]: lspEdits } };
}

/** Read back the `data` of a diagnostic we produced; `undefined` for anything else (other servers, bad input). */
export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (!data || typeof data !== 'object') return undefined;
  if (typeof data.fingerprint !== 'string' || typeof data.ruleId !== 'string') return undefined;
  return { fingerprint: data.fingerprint, ruleId: data.ruleId, version: typeof data.version === 'number' ? data.version : -1 };
}
