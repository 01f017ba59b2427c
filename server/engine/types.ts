/**
 * The engine's vocabulary: rules, findings, fixes, scan context and cancellation.
 * Everything here is plain data so it can cross worker and process boundaries.
 */

/** How bad a finding is; `--fail-on` and editor severities are derived from it. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The categories of the public contract (DESIGN.md, `--format json`). */
export type Category =
  | 'secret' | 'injection' | 'xss' | 'crypto' | 'tls' | 'deserialization' | 'path-traversal'
  | 'ssrf' | 'redirect' | 'auth' | 'config' | 'ci' | 'unicode' | 'prompt-injection' | 'other';

/** Every category, in the contract's order. */
export const CATEGORIES: readonly Category[] = [
  'secret', 'injection', 'xss', 'crypto', 'tls', 'deserialization', 'path-traversal',
  'ssrf', 'redirect', 'auth', 'config', 'ci', 'unicode', 'prompt-injection', 'other',
];

/** Languages the engine distinguishes; anything else is `plaintext`. */
export type Language =
  | 'javascript' | 'typescript' | 'python' | 'shell' | 'go' | 'java' | 'kotlin' | 'csharp' | 'c' | 'cpp'
  | 'rust' | 'ruby' | 'php' | 'swift' | 'html' | 'markdown' | 'xml' | 'json' | 'yaml' | 'toml' | 'ini'
  | 'dotenv' | 'properties' | 'dockerfile' | 'github-actions' | 'gitlab-ci' | 'terraform' | 'sql' | 'lua'
  | 'elisp' | 'plaintext';

/** A replacement of the text between two offsets (UTF-16 code units, end exclusive). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A mechanical fix: applying all edits (they never overlap) removes the finding. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** One example in a rule's documentation. */
export interface RuleExample {
  readonly language: Language;
  readonly bad: string;
  readonly good?: string;
}

/** Everything known about a rule; docs, SARIF, hovers and code actions all read this. */
export interface RuleMeta {
  /** Stable id, `category.kebab-name`; never reused or renamed. */
  readonly id: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Short title, also the default finding message. */
  readonly title: string;
  /** What the problem is and why it matters. */
  readonly description: string;
  /** CWE ids, e.g. `CWE-798`. */
  readonly cwe: readonly string[];
  /** OWASP Top 10 (2021) entries, e.g. `A07:2021-Identification and Authentication Failures`. */
  readonly owasp: readonly string[];
  /** How to fix it, in prose. */
  readonly fix: string;
  readonly examples: readonly RuleExample[];
}

/** What a rule family reports; the engine completes it into a `Finding`. */
export interface RawFinding {
  readonly ruleId: string;
  readonly start: number;
  readonly end: number;
  /** Overrides the rule title. Must never contain a secret value. */
  readonly message?: string;
  readonly fix?: Fix;
  /** For secrets: the secret value, used only to fingerprint and redact; never output. */
  readonly secret?: string;
  /** Stable text identifying this finding within the file; defaults to the matched text. */
  readonly key?: string;
}

/** A finding as every consumer sees it. */
export interface Finding {
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly message: string;
  /** Offsets into the scanned text, UTF-16 code units, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly cwe: readonly string[];
  /** Stable across edits elsewhere in the file and across line moves; used by baselines. */
  readonly fingerprint: string;
  readonly fix?: Fix;
  /** For secrets: a redacted rendering (e.g. `AKIA…(20 chars)`); the value itself never leaves the engine. */
  readonly redacted?: string;
}

/** A note about a scan that did not see everything (parse errors, size caps, cancellation). */
export interface ScanNote {
  readonly kind: 'parse-error' | 'too-large' | 'skipped' | 'binary' | 'encoding' | 'unreadable' | 'cancelled';
  readonly message: string;
}

/** Per-rule settings: `off`, `on`, or a severity override. */
export type RuleSetting = 'off' | 'on' | Severity;

/** Engine options derived from `.shippi.json`, flags and editor settings. */
export interface EngineConfig {
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** When set, only these categories are reported (and other families are not run at all). */
  readonly only?: readonly Category[];
  /** JS/TS files larger than this get secrets/unicode rules only (default 2 MiB). */
  readonly maxSastBytes?: number;
}

/** What the engine needs to know about the text besides the text itself. */
export interface ScanContext {
  /** Path or URI path, used to pick the language and for messages. Forward slashes. */
  readonly path: string;
  /** Overrides detection from the path (e.g. an editor's languageId mapped to ours). */
  readonly language?: Language;
  readonly config?: EngineConfig;
  /**
   * Run only these rule families (by name): the ones `screenBytes` kept for a file. The others saw, on the
   * file's bytes, that they have nothing to report; the ones listed passed their screen, so they may skip
   * a prefilter their screen already applied.
   */
  readonly families?: readonly string[];
}

/** Cancellation, shaped like vscode-jsonrpc's CancellationToken so LSP tokens pass straight in. */
export interface Cancel {
  readonly isCancellationRequested: boolean;
}

/** A token that is never cancelled. */
export const never: Cancel = Object.freeze({ isCancellationRequested: false });

/**
 * A token that also fires `ms` milliseconds from now; `expired` tells the deadline apart from the caller's
 * own cancellation. Rule families check their token every few thousand steps, so this bounds a runaway
 * analysis where a thread cannot be stopped from outside (the language server, in-process scans).
 */
export function withDeadline(cancel: Cancel, ms: number): Cancel & { readonly expired: boolean } {
  const deadline = Date.now() + ms;
  return {
    get isCancellationRequested() { return cancel.isCancellationRequested || Date.now() > deadline; },
    get expired() { return !cancel.isCancellationRequested && Date.now() > deadline; },
  };
}

/** Thrown out of `analyze`/`scan` when the cancel token fires. */
export class CancelledError extends Error {
  constructor() {
    super('scan cancelled');
    this.name = 'CancelledError';
  }
}

/** The input every rule family receives. */
export interface SourceDoc {
  readonly text: string;
  readonly path: string;
  readonly language: Language;
  readonly config: EngineConfig;
  /** The family's screen already passed this text (see ScanContext.families). */
  readonly screened: boolean;
}

/** Report a raw finding, or a note about what could not be analysed. */
export interface Reporter {
  finding(f: RawFinding): void;
  note(n: ScanNote): void;
}

/** A group of related rules run together over a document. */
export interface RuleFamily {
  readonly name: string;
  readonly rules: readonly RuleMeta[];
  /** Whether the family has anything to say about this language. */
  appliesTo(language: Language): boolean;
  /** Report findings; check `cancel` in long loops and throw `CancelledError` when set. */
  run(doc: SourceDoc, report: Reporter, cancel: Cancel): void;
  /**
   * Look at a file's raw bytes (valid UTF-8) before anyone decodes them: false only when `run` on the decoded
   * text would report nothing at all, no finding and no note. Families without it are always run.
   */
  screen?(bytes: Uint8Array, doc: ScreenDoc): boolean;
}

/** What a family's `screen` knows about a file besides its bytes. */
export interface ScreenDoc {
  readonly path: string;
  readonly language: Language;
  readonly config: EngineConfig;
  /** Every byte is below 0x80 (the caller checked, natively): nothing non-ASCII to look for. */
  readonly ascii: boolean;
  /** The whole file decoded, for a screen that needs it; decoded once, and the caller reuses it for `analyze`. */
  readonly text: () => string;
}

/** What the caller of `screenBytes` knows about the bytes (see ScreenDoc). */
export interface ScreenFacts {
  readonly ascii?: boolean;
  readonly text?: () => string;
}
