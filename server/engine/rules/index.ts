/** Every rule family the engine runs, in order. Add a family here and its rules join the registry. */
import type { TriggerAutomaton } from '../automaton.js';
import type { RuleFamily } from '../types.js';
import { ciFamily } from './ci.js';
import { dockerFamily } from './docker.js';
import { javascriptFamily, prefilterTriggers } from './js/index.js';
import { agentConfigFamily } from './agent-config.js';
import { promptInjectionFamily, promptTriggers } from './prompt-injection.js';
import { secretsFamily } from './secrets/index.js';
import { secretTriggers } from './secrets/triggers.js';
import { unicodeFamily } from './unicode.js';

export const FAMILIES: readonly RuleFamily[] = [
  secretsFamily,
  unicodeFamily,
  promptInjectionFamily,
  javascriptFamily,
  ciFamily,
  dockerFamily,
  agentConfigFamily,
];

/** Every family's trigger automaton, built (the build saves their complete tables: see automaton.ts). */
export function triggerAutomata(): TriggerAutomaton[] {
  return [secretTriggers(), promptTriggers(), prefilterTriggers()];
}
