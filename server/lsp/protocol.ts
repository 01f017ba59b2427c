/**
 * vscode-languageserver, loaded with `require`. The package is CommonJS: importing it as ESM makes Node
 * analyse the exports of every module it re-exports, which doubled the server's start-up CPU (~100 ms).
 * Values come from here; types are imported from the package directly with `import type`.
 */
import { createRequire } from 'node:module';

const requireCjs = createRequire(import.meta.url);

/** The vscode-languageserver/node module (everything of the protocol plus createConnection). */
export const lsp = requireCjs('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
