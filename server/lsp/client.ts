/** What the service needs from the editor: a small interface, so tests can pass a fake client. */
import type { MessageType, PublishDiagnosticsParams } from 'vscode-languageserver';

/** The editor side of the conversation, as the service sees it. */
export interface LspClient {
  /** Push a document's diagnostics (`textDocument/publishDiagnostics`). */
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  /** Tell the user something (`window/showMessage`). */
  showMessage(type: MessageType, message: string): void;
  /** Write to the server log (`window/logMessage`); never stdout. */
  log(message: string): void;
  /** Ask the client to open a URL (`window/showDocument`); resolves false when the client cannot. */
  showDocument(uri: string): Promise<boolean>;
  /** Ask a pull-diagnostics client to pull again (`workspace/diagnostic/refresh`); no-op otherwise. */
  refreshDiagnostics(): void;
}

/** What the client said it can do, reduced to the decisions the service makes. */
export interface ClientFeatures {
  /** Workspace edits may use versioned `documentChanges`. */
  readonly versionedEdits: boolean;
  /** The client pulls diagnostics (`textDocument/diagnostic`). */
  readonly pullDiagnostics: boolean;
}
