/** `shippi scan`. (Being built.) */
import { CliError, type Command } from './command.js';

export const scanCommand: Command = {
  async run(): Promise<number> {
    throw new CliError('scan: not implemented yet');
  },
};
