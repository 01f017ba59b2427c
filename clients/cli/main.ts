#!/usr/bin/env node
/**
 * The `shippi` command line: a table of subcommands, each loaded only when used so that `shippi lsp`
 * starts without loading the daemon and `shippi scan` without loading the language server.
 */
import packageJson from '../../package.json' with { type: 'json' };
import { CliError, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { forTerminal, linesForTerminal } from './output/terminal.js';
import { prestartForScan } from './scan-options.js';

/** Each command: its summary, how to load it, and what to start before loading it (so the two overlap). */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<Command>; prepare?: (argv: readonly string[]) => void }>> = {
  scan: { summary: 'scan files for security problems (text, json or sarif)', load: async () => (await import('./scan.js')).scanCommand, prepare: prestartForScan },
  lsp: { summary: 'run the language server (--stdio)', load: async () => ({ run: (await import('../../server/main.js')).runLanguageServer }) },
  daemon: { summary: 'start, stop or query the local daemon', load: async () => (await import('./daemon.js')).daemonCommand },
  token: { summary: 'create, list or revoke daemon access tokens', load: async () => (await import('./token.js')).tokenCommand },
  task: { summary: 'list the daemon\'s tasks or show one', load: async () => (await import('./task.js')).taskCommand },
  audit: { summary: 'verify or tail the audit log', load: async () => (await import('./audit.js')).auditCommand },
  key: { summary: 'rotate the data encryption key', load: async () => (await import('./key.js')).keyCommand },
  rules: { summary: 'list rules or show one rule\'s documentation', load: async () => (await import('./rules.js')).rulesCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: shippi <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'shippi <command> --help' for a command's options.\n`;
}

/** Run the CLI with the given arguments; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeOut(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    writeOut(`${packageJson.version}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`shippi: unknown command '${forTerminal(name)}'\n\n${usage()}`);
    return 2;
  }
  try {
    entry.prepare?.(rest);
    const command = await entry.load();
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      // Messages can name paths from the scanned tree: printed safe for a terminal.
      process.stderr.write(`shippi ${name}: ${linesForTerminal(err.message)}\n`);
      return err.exitCode;
    }
    // Unexpected: one line for the user, the stack only when asked for.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`shippi ${name}: internal error: ${linesForTerminal(message)}\n`);
    if (process.env.SHIPPI_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 70;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
