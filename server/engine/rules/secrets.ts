/** Hard-coded secrets: provider tokens, private keys, credentials in URLs, generic assignments. (Being built.) */
import type { RuleFamily } from '../types.js';

/** The secrets rule family; runs on every text file. */
export const secretsFamily: RuleFamily = {
  name: 'secrets',
  rules: [],
  appliesTo: () => true,
  run(): void {},
};
