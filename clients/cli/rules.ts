/** `shippi rules`. (Being built.) */
import { CliError, type Command } from './command.js';

export const rulesCommand: Command = {
  async run(): Promise<number> {
    throw new CliError('rules: not implemented yet');
  },
};
