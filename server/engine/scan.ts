/** The engine's entry point: text in, findings out. Pure: no I/O, no Node built-ins, no LSP. */
import { fingerprintOf } from './fingerprint.js';
import { languageFromPath } from './language.js';
import { redactSecret } from './redact.js';
import { ruleById } from './registry.js';
import { FAMILIES } from './rules/index.js';
import { findSuppressions, isSuppressed } from './suppress.js';
import { compareStrings, LineIndex } from './text.js';
import type { Cancel, EngineConfig, Finding, RawFinding, RuleFamily, RuleMeta, ScanContext, ScanNote, ScreenDoc, ScreenFacts, Severity, SourceDoc } from './types.js';
import { CancelledError, never } from './types.js';

/** Characters either side of a finding, within its line, that identify it in fingerprints. */
const KEY_CONTEXT = 80;

/** Findings plus notes about anything the scan could not fully analyse. */
export interface ScanResult {
  readonly findings: Finding[];
  readonly notes: ScanNote[];
  /** The text's line index, when finishing findings needed one: reuse it to place them (building one costs). */
  readonly lines?: LineIndex;
}

/** Whether a rule is enabled under a config, and at which severity. */
export function effectiveSeverity(rule: RuleMeta, config: EngineConfig): Severity | undefined {
  if (config.only && !config.only.includes(rule.category)) return undefined;
  const setting = config.rules?.[rule.id];
  if (setting === 'off') return undefined;
  return setting === undefined || setting === 'on' ? rule.severity : setting;
}

const NO_CONFIG: EngineConfig = {};
const utf8 = new TextDecoder();
const enabledByConfig = new WeakMap<EngineConfig, readonly RuleFamily[]>();

/**
 * The families with at least one enabled rule under a config, worked out once per config object (configs
 * are read-only): a tree scan asks for every file.
 */
function enabledFamilies(config: EngineConfig): readonly RuleFamily[] {
  let families = enabledByConfig.get(config);
  if (families === undefined) {
    families = FAMILIES.filter((family) => family.rules.some((r) => effectiveSeverity(r, config) !== undefined));
    enabledByConfig.set(config, families);
  }
  return families;
}

/** Scan a text and return its findings, sorted by position. Throws `CancelledError` if cancelled. */
export function scan(text: string, ctx: ScanContext, cancel: Cancel = never): Finding[] {
  return analyze(text, ctx, cancel).findings;
}

/** Scan a text and return findings and notes. Throws `CancelledError` if cancelled. */
export function analyze(text: string, ctx: ScanContext, cancel: Cancel = never): ScanResult {
  const config = ctx.config ?? NO_CONFIG;
  const doc: SourceDoc = { text, path: ctx.path, language: ctx.language ?? languageFromPath(ctx.path), config, screened: ctx.families !== undefined };
  const raw: RawFinding[] = [];
  const notes: ScanNote[] = [];
  const reporter = { finding: (f: RawFinding) => raw.push(f), note: (n: ScanNote) => notes.push(n) };
  for (const family of enabledFamilies(config)) {
    if (cancel.isCancellationRequested) throw new CancelledError();
    if (!family.appliesTo(doc.language)) continue;
    if (ctx.families && !ctx.families.includes(family.name)) continue;
    family.run(doc, reporter, cancel);
  }
  if (raw.length === 0) return { findings: [], notes };
  const lines = new LineIndex(doc.text);
  return { findings: complete(raw, doc, lines, cancel), notes, lines };
}

/**
 * The rule families that need a file, judged on its raw bytes (valid UTF-8) before anyone decodes them:
 * every enabled family that applies, except those whose `screen` saw it would report nothing. An empty list
 * means the file needs no decoding and no analysis; pass the list to `analyze` as `families` otherwise.
 * `facts` say what the caller knows: that every byte is below 0x80 (screens looking for non-ASCII skip the
 * file), and how to decode the text once for screens and analysis alike.
 */
export function screenBytes(bytes: Uint8Array, ctx: ScanContext, facts: ScreenFacts = {}): string[] {
  const config = ctx.config ?? NO_CONFIG;
  let decoded: string | undefined;
  const text = facts.text ?? (() => (decoded ??= utf8.decode(bytes)));
  const doc: ScreenDoc = { path: ctx.path, language: ctx.language ?? languageFromPath(ctx.path), config, ascii: facts.ascii ?? false, text };
  const needed: string[] = [];
  for (const family of enabledFamilies(config)) {
    if (!family.appliesTo(doc.language)) continue;
    if (!family.screen || family.screen(bytes, doc)) needed.push(family.name);
  }
  return needed;
}

/** Turn raw findings into finished ones: config, suppressions, dedupe, severities, fingerprints. */
function complete(raw: RawFinding[], doc: SourceDoc, lines: LineIndex, cancel: Cancel): Finding[] {
  raw.sort((a, b) => a.start - b.start || a.end - b.end || compareStrings(a.ruleId, b.ruleId));
  const suppressions = findSuppressions(doc.text, lines);
  const occurrences = new Map<string, number>();
  const out: Finding[] = [];
  let previous: RawFinding | undefined;
  let count = 0;
  for (const r of raw) {
    // Hundreds of thousands of findings take seconds to finish: a deadline must be able to stop this too.
    if ((++count & 1023) === 0 && cancel.isCancellationRequested) throw new CancelledError();
    if (previous && previous.ruleId === r.ruleId && previous.start === r.start && previous.end === r.end) continue;
    previous = r;
    const rule = ruleById(r.ruleId);
    if (!rule) throw new TypeError(`finding for unregistered rule ${r.ruleId}`);
    const severity = effectiveSeverity(rule, doc.config);
    if (severity === undefined) continue;
    const line = lines.lineAt(r.start);
    if (isSuppressed(suppressions, line, r.ruleId)) continue;
    // The finding's surroundings on its line (not the whole line: minified files have megabyte lines).
    const context = doc.text.slice(
      Math.max(lines.lineStart(line), r.start - KEY_CONTEXT),
      Math.min(lines.lineEnd(line), r.end + KEY_CONTEXT),
    );
    // Secrets are keyed by their masked context, so a baseline file never holds a guessable hash of the value.
    const key = r.key ?? (r.secret !== undefined
      ? context.split(r.secret).join(`<secret:${r.secret.length}>`)
      : `${context}\u0000${doc.text.slice(r.start, Math.min(r.end, r.start + 200))}`);
    const seen = `${r.ruleId}\u0000${key}`;
    const occurrence = occurrences.get(seen) ?? 0;
    occurrences.set(seen, occurrence + 1);
    out.push({
      ruleId: r.ruleId,
      category: rule.category,
      severity,
      message: r.message ?? rule.title,
      start: r.start,
      end: r.end,
      cwe: rule.cwe,
      fingerprint: fingerprintOf(r.ruleId, key, occurrence),
      ...(r.fix ? { fix: r.fix } : {}),
      ...(r.secret !== undefined ? { redacted: redactSecret(r.secret) } : {}),
    });
  }
  return out;
}
