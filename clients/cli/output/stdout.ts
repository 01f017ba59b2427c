/** Writing command output to stdout without crashing when the reader goes away (`shippi scan | head`). */

let guarded = false;

function guard(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader closed the pipe: nobody wants the rest, and that is not an error worth a stack trace.
    if (err.code !== 'EPIPE') {
      process.stderr.write(`shippi: cannot write output: ${err.code ?? err.message}\n`);
      process.exitCode = 74;
    }
    process.stdout.destroy();
  });
}

/** Write text to stdout; a closed pipe ends output quietly. */
export function writeOut(text: string): void {
  guard();
  if (!process.stdout.destroyed) process.stdout.write(text);
}
