/**
 * vscode-languageserver, loaded with `require`. The package is CommonJS: importing it as ESM makes Node
 * analyse the exports of every module it re-exports, which doubled the server's start-up CPU (~100 ms).
 * Next to the bundle, the build leaves the package bundled into one file (`dist/lsp-protocol.cjs`, from
 * protocol-bundle.cjs), which loads in about 42 ms instead of 62 (some 60 modules found and read one by
 * one); from source, the package itself is loaded. Values come from here; types are imported from the
 * package directly with `import type`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const requireCjs = createRequire(import.meta.url);
const bundled = fileURLToPath(new URL('./lsp-protocol.cjs', import.meta.url));

/** The vscode-languageserver/node module (everything of the protocol plus createConnection). */
export const lsp = requireCjs(existsSync(bundled) ? bundled : 'vscode-languageserver/node') as typeof import('vscode-languageserver/node');
