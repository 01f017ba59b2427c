/**
 * Per-document debounce for push diagnostics: each edit cancels the document's pending and in-flight work and
 * waits again (longer for bigger documents); a result is published only if the document is still at the
 * version it was computed for, so a stale version's diagnostics never reach the editor.
 */
import type { CancellationToken, CancellationTokenSource } from 'vscode-languageserver';
import { lsp } from './protocol.js';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** What the scheduler drives: where documents come from, how long to wait, how to analyse and publish. */
export interface SchedulerHost {
  document(uri: string): TextDocument | undefined;
  delayFor(doc: TextDocument): number;
  /** Analyse and publish; must check the token and the version before publishing. */
  run(doc: TextDocument, token: CancellationToken): void | Promise<void>;
  /** A run failed unexpectedly (the scheduler keeps going). */
  onError(err: unknown): void;
}

interface Pending {
  timer: NodeJS.Timeout | undefined;
  source: CancellationTokenSource;
}

/** Debounces analysis per document (see the file comment). */
export class DiagnosticScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly host: SchedulerHost) {}

  /** (Re)schedule a document: cancels its pending and in-flight work first. `immediate` skips the delay (open). */
  schedule(uri: string, immediate = false): void {
    this.cancel(uri);
    const doc = this.host.document(uri);
    if (!doc) return;
    const source = new lsp.CancellationTokenSource();
    const entry: Pending = { timer: undefined, source };
    this.pending.set(uri, entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const current = this.host.document(uri);
      if (!current || source.token.isCancellationRequested) return;
      void Promise.resolve().then(() => this.host.run(current, source.token)).catch((err: unknown) => this.host.onError(err)).finally(() => {
        if (this.pending.get(uri) === entry) this.pending.delete(uri);
        source.dispose();
      });
    }, immediate ? 0 : this.host.delayFor(doc));
  }

  /** Cancel a document's pending and in-flight work. */
  cancel(uri: string): void {
    const entry = this.pending.get(uri);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.source.cancel();
    this.pending.delete(uri);
  }

  /** Cancel everything (shutdown). */
  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }
}
