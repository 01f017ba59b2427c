/** `shippi key`. (Being built.) */
import { CliError, type Command } from './command.js';

export const keyCommand: Command = {
  async run(): Promise<number> {
    throw new CliError('key: not implemented yet');
  },
};
