/** Editors' language ids mapped to the engine's languages (used when the file name says nothing). */
import type { Language } from '../engine/index.js';

const BY_LANGUAGE_ID: Readonly<Record<string, Language>> = {
  javascript: 'javascript', javascriptreact: 'javascript', typescript: 'typescript', typescriptreact: 'typescript',
  python: 'python', shellscript: 'shell', sh: 'shell', bash: 'shell', zsh: 'shell', go: 'go', java: 'java',
  kotlin: 'kotlin', csharp: 'csharp', c: 'c', cpp: 'cpp', rust: 'rust', ruby: 'ruby', php: 'php', swift: 'swift',
  html: 'html', markdown: 'markdown', xml: 'xml', json: 'json', jsonc: 'json', yaml: 'yaml', toml: 'toml',
  ini: 'ini', dotenv: 'dotenv', properties: 'properties', dockerfile: 'dockerfile', terraform: 'terraform',
  hcl: 'terraform', sql: 'sql', lua: 'lua', 'emacs-lisp': 'elisp', elisp: 'elisp',
  'github-actions-workflow': 'github-actions',
};

/** The engine language for an editor language id, if we know it. */
export function languageFromId(languageId: string): Language | undefined {
  return BY_LANGUAGE_ID[languageId];
}
