/** `shippi lsp --stdio`: the language server entry point. (Being built.) */

/** Start the language server with the CLI's arguments; resolves to the exit code when the client exits. */
export async function runLanguageServer(argv: readonly string[]): Promise<number> {
  process.stderr.write(`shippi lsp: not implemented yet (${argv.join(' ')})\n`);
  return 2;
}
