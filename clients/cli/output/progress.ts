/** A one-line progress indicator on stderr, shown only on a TTY, redrawn at most every 100 ms, cleared at the end. */

/** Progress display; `update` is cheap to call per file. */
export interface Progress {
  update(p: { files: number; bytes: number }): void;
  done(): void;
}

const none: Progress = { update: () => undefined, done: () => undefined };

/** A progress line on `stream` if it is a TTY, otherwise a no-op. */
export function createProgress(stream: NodeJS.WriteStream, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return none;
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update({ files, bytes }) {
      const t = now();
      // Quick scans never flash a progress line; longer ones redraw ten times a second.
      if (t - started < 300 || t - last < 100) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[Kscanning… ${files} files, ${(bytes / 1e6).toFixed(1)} MB`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
