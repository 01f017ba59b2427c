/** `shippi daemon`. (Being built.) */
import { CliError, type Command } from './command.js';

export const daemonCommand: Command = {
  async run(): Promise<number> {
    throw new CliError('daemon: not implemented yet');
  },
};
