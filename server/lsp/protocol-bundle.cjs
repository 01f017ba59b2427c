// Build input only: `npm run build` bundles vscode-languageserver's Node entry from here into one file,
// dist/lsp-protocol.cjs, which the language server loads instead of the package's many modules (see
// protocol.ts).
module.exports = require('vscode-languageserver/node');
