/** What every `shippi` subcommand implements, and the error type that maps to a clean exit. */

/** A subcommand: parses its own arguments, returns the process exit code. */
export interface Command {
  run(argv: readonly string[]): Promise<number>;
}

/** A problem the user can fix (bad flag, bad config, daemon not running): printed as one line, no stack. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
  }
}
