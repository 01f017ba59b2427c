/** `shippi audit`. (Being built.) */
import { CliError, type Command } from './command.js';

export const auditCommand: Command = {
  async run(): Promise<number> {
    throw new CliError('audit: not implemented yet');
  },
};
