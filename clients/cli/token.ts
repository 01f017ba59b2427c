/** `shippi token`. (Being built.) */
import { CliError, type Command } from './command.js';

export const tokenCommand: Command = {
  async run(): Promise<number> {
    throw new CliError('token: not implemented yet');
  },
};
