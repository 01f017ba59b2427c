/** Shared bits of the LSP tests: applying LSP edits to text, temp workspaces, a document URI. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Apply LSP text edits (UTF-16 positions) to a text, as an editor would. */
export function applyLspEdits(text: string, edits: readonly { range: any; newText: string }[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'plaintext', 0, text), [...edits]);
}

/** The edits of a workspace edit for one URI (either `documentChanges` or `changes`). */
export function editsFor(edit: any, uri: string): { range: any; newText: string }[] {
  if (edit?.documentChanges) return edit.documentChanges.filter((c: any) => c.textDocument?.uri === uri).flatMap((c: any) => c.edits);
  return edit?.changes?.[uri] ?? [];
}

/** A fresh temp directory (a workspace root) and its cleanup. */
export function tempWorkspace(): { dir: string; uri: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shippi-lsp-'));
  return {
    dir,
    uri: (name) => pathToFileURL(join(dir, name)).href,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Hidden-Unicode findings to plant in test documents (the finished unicode rules find them). */
export const BIDI = '\u202E';
export const ZWSP = '\u200B';
