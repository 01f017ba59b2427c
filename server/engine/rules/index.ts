/** Every rule family the engine runs, in order. Add a family here and its rules join the registry. */
import type { RuleFamily } from '../types.js';
import { ciFamily } from './ci.js';
import { dockerFamily } from './docker.js';
import { javascriptFamily } from './js/index.js';
import { promptInjectionFamily } from './prompt-injection.js';
import { secretsFamily } from './secrets/index.js';
import { unicodeFamily } from './unicode.js';

export const FAMILIES: readonly RuleFamily[] = [
  secretsFamily,
  unicodeFamily,
  promptInjectionFamily,
  javascriptFamily,
  ciFamily,
  dockerFamily,
];
