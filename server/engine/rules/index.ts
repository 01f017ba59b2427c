/** Every rule family the engine runs, in order. Add a family here and its rules join the registry. */
import type { RuleFamily } from '../types.js';
import { javascriptFamily } from './js/index.js';
import { secretsFamily } from './secrets.js';
import { unicodeFamily } from './unicode.js';

export const FAMILIES: readonly RuleFamily[] = [secretsFamily, unicodeFamily, javascriptFamily];
