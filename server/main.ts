/** `shippi lsp --stdio`: the language server entry point. */
import { lsp } from './lsp/protocol.js';
import { startServer } from './lsp/server.js';
import { useTriggerTables } from './workspace/trigger-tables.js';

const USAGE = 'usage: shippi lsp --stdio\n\nRuns the Shippi language server over standard input and output (LSP 3.17).\n';

/**
 * Start the language server with the CLI's arguments. Resolves only on a usage error: once the server runs,
 * the `exit` notification ends the process (code 0 after `shutdown`, 1 without), as LSP requires.
 */
export async function runLanguageServer(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--stdio');
  if (!argv.includes('--stdio') || unknown.length > 0) {
    process.stderr.write(`shippi lsp: ${unknown.length ? `unknown option ${unknown[0]}` : '--stdio is required (the only transport)'}\n\n${USAGE}`);
    return 2;
  }
  useTriggerTables(); // prebuilt automata: the first diagnostics come sooner
  // Without explicit streams the library reads `--stdio` from process.argv and, because of it, routes
  // console.* to the client's log, so nothing stray can corrupt the protocol stream on stdout.
  const connection = lsp.createConnection(lsp.ProposedFeatures.all);
  // A bug in one handler must not take the editor's server down: log it to the client and carry on.
  const report = (what: string) => (err: unknown) => connection.console.error(`shippi lsp: ${what}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.on('unhandledRejection', report('unhandled rejection'));
  process.on('uncaughtException', report('uncaught exception'));
  startServer(connection);
  return new Promise<number>(() => undefined);
}
