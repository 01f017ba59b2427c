/** The engine's public surface: everything outside server/engine imports from here. */
export { analyze, scan, screenBytes, effectiveSeverity } from './scan.js';
export type { ScanResult } from './scan.js';
export { ALL_RULES, ruleById, ruleDocsUrl } from './registry.js';
export { languageFromPath, commentSyntax, isJavaScriptLike } from './language.js';
export { compareStrings, LineIndex } from './text.js';
export { installTriggerTables, type TriggerTable } from './automaton.js';
export { triggerAutomata } from './rules/index.js';
export type { Position } from './text.js';
export { suppressionComment } from './suppress.js';
export { redactSecret } from './redact.js';
export { fnv1a64 } from './fingerprint.js';
export * from './types.js';
