/**
 * The language service: documents in, diagnostics, code actions and hovers out. Holds settings, projects and
 * the last analysis of each open document; every method takes a cancellation token. The LSP handlers in
 * server.ts only forward to it.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Hover, Position, Range } from 'vscode-languageserver';
import { lsp } from './protocol.js';
import {
  analyze, CancelledError, languageFromPath, LineIndex, ruleById, ruleDocsUrl, suppressionComment, withDeadline,
  type Cancel, type Finding, type Language, type RuleMeta, type ScanNote,
} from '../engine/index.js';
import type { ClientFeatures, LspClient } from './client.js';
import { Commands } from './commands.js';
import { diagnosticData, DIAGNOSTIC_SOURCE, toDiagnostic, toRange, toWorkspaceEdit } from './convert.js';
import { languageFromId } from './language-id.js';
import { Project } from './project.js';
import { DEFAULT_SETTINGS, mergeEngineConfig, parseEditorSettings, type EditorSettings } from './settings.js';
import { uriToPath } from './uri.js';

/** One analysis of one document version. */
export interface DocumentReport {
  readonly version: number;
  readonly findings: readonly Finding[];
  readonly diagnostics: Diagnostic[];
  readonly notes: readonly ScanNote[];
}

/** Arguments of `shippi.addToBaseline`. */
export interface BaselineArgs {
  readonly uri: string;
  readonly ruleId: string;
  readonly fingerprint: string;
}

/** Create the language service. */
export function createService(deps: { client: LspClient; features: ClientFeatures; roots: readonly string[]; trace?: boolean }): ShippiService {
  return new ShippiService(deps.client, deps.features, deps.roots, deps.trace ?? false);
}

/** The language service (see the file comment). */
export class ShippiService {
  private settings: EditorSettings = {};
  private projects: Project[];
  private readonly reports = new Map<string, DocumentReport>();
  private readonly shown = new Set<string>();

  constructor(readonly client: LspClient, readonly features: ClientFeatures, roots: readonly string[], private readonly trace = false) {
    // Longest root first, so a nested workspace folder wins over its parent.
    this.projects = [...roots].sort((a, b) => b.length - a.length).map((r) => new Project(r));
  }

  /** The workspace folders' projects. */
  get allProjects(): readonly Project[] {
    return this.projects;
  }

  /** Current editor settings with defaults filled in. */
  get effective(): EditorSettings & typeof DEFAULT_SETTINGS {
    return { ...DEFAULT_SETTINGS, ...this.settings } as EditorSettings & typeof DEFAULT_SETTINGS;
  }

  /** Apply editor settings; a bad value is reported once and the previous settings stay. Returns whether applied. */
  updateSettings(raw: unknown): boolean {
    const parsed = parseEditorSettings(raw);
    if (!parsed.ok) {
      this.reportProblem(parsed.message);
      return false;
    }
    this.settings = parsed.settings;
    this.invalidate();
    return true;
  }

  /** Re-read every project's (or one path's project's) config and baseline. */
  async reloadProjects(changedPath?: string): Promise<void> {
    const targets = changedPath ? this.projects.filter((p) => p.contains(changedPath) || p.root === changedPath) : this.projects;
    for (const project of targets) for (const problem of await project.reload()) this.reportProblem(problem);
    this.invalidate();
  }

  /** Workspace folders were added or removed: load the new projects, forget the old ones. */
  async changeFolders(added: readonly string[], removed: readonly string[]): Promise<void> {
    const fresh = added.filter((root) => !this.projects.some((p) => p.root === root)).map((root) => new Project(root));
    for (const project of fresh) for (const problem of await project.reload()) this.reportProblem(problem);
    this.projects = [...this.projects.filter((p) => !removed.includes(p.root)), ...fresh].sort((a, b) => b.root.length - a.root.length);
    this.invalidate();
  }

  /** Whether a path is a project's config or baseline file (so a change to it means reload). */
  isProjectFile(path: string): boolean {
    return this.projects.some((p) => p.configPath === path || p.baselinePath === path);
  }

  /** The project a URI belongs to, if any. */
  projectFor(uri: string): Project | undefined {
    const path = uriToPath(uri);
    return path === undefined ? undefined : this.projects.find((p) => p.contains(path));
  }

  /** Tell the user about a configuration problem once per distinct message. */
  private reportProblem(message: string): void {
    this.client.log(message);
    if (this.shown.has(message)) return;
    this.shown.add(message);
    this.client.showMessage(lsp.MessageType.Error, `${message} (the previous configuration stays in force)`);
  }

  /** How long to wait after an edit before analysing: grows with the document's size. */
  debounceFor(doc: TextDocument): number {
    const size = doc.getText().length;
    return this.effective.debounceMs + Math.min(2000, Math.round(size / 4096));
  }

  /** Bumped whenever settings, config or baseline change, so pull clients' result ids go stale too. */
  private generation = 0;

  /** Drop every cached analysis (the inputs changed). */
  private invalidate(): void {
    this.reports.clear();
    this.generation++;
  }

  /** The pull-diagnostics result id of a document's current report: changes with the version and the inputs. */
  resultId(doc: TextDocument): string {
    return `${this.generation}.${doc.version}`;
  }

  /** The cached report for this exact version, if any. */
  cached(doc: TextDocument): DocumentReport | undefined {
    const r = this.reports.get(doc.uri);
    return r && r.version === doc.version ? r : undefined;
  }

  /** Forget a document (closed). */
  forget(uri: string): void {
    this.reports.delete(uri);
  }

  /** Forget every cached analysis. */
  forgetAll(): void {
    this.invalidate();
  }

  /** Analyse a document version (or return the cached result). Throws CancelledError if `cancel` fires. */
  report(doc: TextDocument, cancel: Cancel): DocumentReport {
    const hit = this.cached(doc);
    if (hit) return hit;
    const started = performance.now();
    const report = this.analyse(doc, cancel);
    // With SHIPPI_DEBUG set, each analysis is timed in the client's log (the LSP bench reads it).
    if (this.trace) this.client.log(`analysed ${doc.uri} v${doc.version} in ${(performance.now() - started).toFixed(2)} ms (${report.findings.length} findings)`);
    this.reports.set(doc.uri, report);
    return report;
  }

  private analyse(doc: TextDocument, cancel: Cancel): DocumentReport {
    const text = doc.getText();
    const settings = this.effective;
    const project = this.projectFor(doc.uri);
    // The project's file-size cap (as `shippi scan` applies it) wins over the editor's.
    const limit = project?.config?.maxFileBytes ?? settings.maxDocumentBytes;
    const limitName = project?.config?.maxFileBytes !== undefined ? 'maxFileBytes in .shippi.json' : 'maxDocumentBytes';
    if (text.length > limit) {
      const mb = (text.length / 1048576).toFixed(1);
      return this.noteReport(doc, [], [{ kind: 'too-large', message: `Shippi did not analyse this document: ${mb} MB is over the ${(limit / 1048576).toFixed(1)} MB limit (${limitName}). Run \`shippi scan\` on it instead.` }]);
    }
    const path = uriToPath(doc.uri) ?? doc.uri;
    const language = languageOf(doc, path);
    const config = mergeEngineConfig(this.settings, project?.config);
    const bounded = withDeadline(cancel, settings.timeBudgetMs);
    let findings: Finding[];
    let notes: ScanNote[];
    try {
      ({ findings, notes } = analyze(text, { path, language, config }, bounded));
    } catch (err) {
      if (!(err instanceof CancelledError) || !bounded.expired) throw err;
      return this.noteReport(doc, [], [{ kind: 'cancelled', message: `Shippi stopped analysing this document after ${settings.timeBudgetMs} ms (timeBudgetMs); results are incomplete. Run \`shippi scan\` on it for a full analysis.` }]);
    }
    if (project && project.baseline.entries.length > 0 && path !== doc.uri) {
      const file = project.baselineFile(path);
      findings = findings.filter((f) => !project.baseline.has({ file, ruleId: f.ruleId, fingerprint: f.fingerprint }));
    }
    return this.noteReport(doc, findings, notes);
  }

  /** A report whose notes about incomplete analysis show as one informational diagnostic at the top. */
  private noteReport(doc: TextDocument, findings: Finding[], notes: ScanNote[]): DocumentReport {
    const diagnostics = findings.map((f) => toDiagnostic(f, doc));
    const visible = notes.filter((n) => n.kind === 'too-large' || n.kind === 'cancelled' || n.kind === 'skipped');
    if (visible.length > 0) {
      diagnostics.unshift({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: lsp.DiagnosticSeverity.Information,
        source: DIAGNOSTIC_SOURCE,
        message: visible.map((n) => n.message).join('\n'),
      });
    }
    return { version: doc.version, findings, diagnostics, notes };
  }

  /** Quick fixes, "suppress on this line" and "suppress in baseline" for the findings touching a range. */
  codeActions(doc: TextDocument, range: Range, context: CodeActionContext, cancel: Cancel): CodeAction[] {
    if (context.only && !context.only.some((k) => k === lsp.CodeActionKind.QuickFix || lsp.CodeActionKind.QuickFix.startsWith(`${k}.`) || k === lsp.CodeActionKind.Empty)) return [];
    const report = this.report(doc, cancel);
    const from = doc.offsetAt(range.start);
    const to = doc.offsetAt(range.end);
    const wanted = new Set(context.diagnostics.map(diagnosticData).filter((d) => d !== undefined).map((d) => d.fingerprint));
    const lines = new LineIndex(doc.getText());
    const project = this.projectFor(doc.uri);
    const path = uriToPath(doc.uri) ?? doc.uri;
    const language = languageOf(doc, path);
    const actions: CodeAction[] = [];
    const suppressions: CodeAction[] = [];
    report.findings.forEach((f) => {
      if (!wanted.has(f.fingerprint) && !(f.start <= to && f.end >= from)) return;
      // Matched by fingerprint: the diagnostics list may start with a note, so indexes do not line up.
      const diagnostic = report.diagnostics.find((d) => diagnosticData(d)?.fingerprint === f.fingerprint);
      if (!diagnostic) return;
      if (f.fix) {
        actions.push({ title: f.fix.title, kind: lsp.CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: toWorkspaceEdit(f.fix.edits, doc, this.features.versionedEdits) });
      }
      const line = lines.lineAt(f.start);
      const start = lines.lineStart(line);
      const indent = /^[ \t]*/.exec(lines.lineText(line))![0];
      suppressions.push({
        title: `Suppress ${f.ruleId} on this line`,
        kind: lsp.CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: toWorkspaceEdit([{ start, end: start, newText: suppressionComment(language, f.ruleId, indent) }], doc, this.features.versionedEdits),
      });
      if (project) {
        const args: BaselineArgs = { uri: doc.uri, ruleId: f.ruleId, fingerprint: f.fingerprint };
        suppressions.push({
          title: `Suppress ${f.ruleId} in project baseline`,
          kind: lsp.CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Suppress ${f.ruleId} in project baseline`, command: Commands.AddToBaseline, arguments: [args] },
        });
      }
    });
    // Real fixes first: editors offer the first quick fix as the default.
    return [...actions, ...suppressions];
  }

  /** Markdown about the findings under a position: what, why, CWE/OWASP, how to fix. */
  hover(doc: TextDocument, position: Position, cancel: Cancel): Hover | null {
    const report = this.report(doc, cancel);
    const at = doc.offsetAt(position);
    const hits = report.findings.filter((f) => f.start <= at && at <= f.end);
    if (hits.length === 0) return null;
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const f of hits) {
      if (seen.has(f.ruleId)) continue;
      seen.add(f.ruleId);
      const rule = ruleById(f.ruleId);
      if (rule) parts.push(ruleMarkdown(rule, f.message));
    }
    const first = hits[0]!;
    return { contents: { kind: lsp.MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: toRange(doc, first.start, first.end) };
  }

  /** Add a finding to its project's baseline file; the finding then stops being reported. */
  async addToBaseline(args: BaselineArgs): Promise<void> {
    const project = this.projectFor(args.uri);
    const path = uriToPath(args.uri);
    if (!project || path === undefined) throw new Error(`${args.uri} is not inside a workspace folder, so it has no project baseline`);
    // A bad entry would make the baseline file unreadable for every later run: refuse it here.
    if (!/^[0-9a-f]{16}$/.test(args.fingerprint)) throw new Error(`fingerprint must be 16 hex digits, got ${JSON.stringify(args.fingerprint.slice(0, 40))}`);
    if (!ruleById(args.ruleId)) throw new Error(`unknown rule ${JSON.stringify(args.ruleId.slice(0, 80))}`);
    await project.addToBaseline([{ file: project.baselineFile(path), ruleId: args.ruleId, fingerprint: args.fingerprint }]);
    this.invalidate();
  }
}

/** A rule's documentation as hover markdown. */
export function ruleMarkdown(rule: RuleMeta, message?: string): string {
  const lines = [`**${rule.title}** \`${rule.id}\` (${rule.severity})`];
  if (message && message !== rule.title) lines.push('', message);
  lines.push('', rule.description);
  const refs: string[] = [];
  for (const cwe of rule.cwe) refs.push(`[${cwe}](https://cwe.mitre.org/data/definitions/${cwe.replace(/^CWE-/, '')}.html)`);
  for (const owasp of rule.owasp) refs.push(`OWASP ${owasp}`);
  if (refs.length) lines.push('', refs.join(' · '));
  lines.push('', `**How to fix:** ${rule.fix}`, '', `[Rule documentation](${ruleDocsUrl(rule.id)})`);
  return lines.join('\n');
}

/** The engine language of a document: from its path, else from the editor's language id. */
function languageOf(doc: TextDocument, path: string): Language {
  const language = languageFromPath(path);
  return language === 'plaintext' ? languageFromId(doc.languageId) ?? 'plaintext' : language;
}
