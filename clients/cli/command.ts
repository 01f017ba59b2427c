/** What every `shippi` subcommand implements, and the error type that maps to a clean exit. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { writeOut } from './output/stdout.js';

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

/**
 * A command made of subcommands (`shippi token create|list|revoke`): with none it prints the usage and exits 2,
 * with `--help` it prints the usage and exits 0, and an unknown one is an error naming it.
 */
export function withSubcommands(usage: string, subcommands: Readonly<Record<string, (args: readonly string[]) => Promise<number>>>): Command {
  return {
    async run(argv) {
      const [sub, ...rest] = argv;
      if (sub === undefined || sub === '--help' || sub === '-h') {
        writeOut(`${usage}\n`);
        return sub === undefined ? 2 : 0;
      }
      const handler = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
      if (!handler) throw new CliError(`unknown subcommand '${sub}'\n${usage}`);
      return handler(rest);
    },
  };
}

/** Refuse positional arguments where a subcommand takes none. */
export function noArguments(positionals: readonly string[], usage: string): void {
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'\n${usage}`);
}

/** Parse a subcommand's flags strictly; a bad flag is a CliError that ends with the usage text. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${usage}`);
  }
}

/** The value of a `--format text|json` flag, checked. */
export function textOrJson(value: unknown): 'text' | 'json' {
  if (value === 'text' || value === 'json') return value;
  throw new CliError(`invalid --format '${String(value)}': expected text or json`);
}
