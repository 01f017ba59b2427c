/** JavaScript/TypeScript SAST on a real syntax tree. (Being built.) */
import type { RuleFamily } from '../../types.js';
import { isJavaScriptLike } from '../../language.js';

/** The JS/TS rule family. */
export const javascriptFamily: RuleFamily = {
  name: 'javascript',
  rules: [],
  appliesTo: isJavaScriptLike,
  run(): void {},
};
