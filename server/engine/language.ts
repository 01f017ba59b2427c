/** Language detection from a path, and each language's comment syntax (used by suppression). */
import type { Language } from './types.js';

const BY_EXTENSION: Readonly<Record<string, Language>> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescript',
  py: 'python', pyw: 'python', pyi: 'python', sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell',
  go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', cs: 'csharp', c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp', tcc: 'cpp', ipp: 'cpp', inl: 'cpp', rs: 'rust', rb: 'ruby', php: 'php', swift: 'swift',
  html: 'html', htm: 'html', vue: 'html', svelte: 'html', md: 'markdown', markdown: 'markdown', mdx: 'markdown',
  xml: 'xml', json: 'json', jsonc: 'json', yml: 'yaml', yaml: 'yaml', toml: 'toml', ini: 'ini', cfg: 'ini',
  conf: 'ini', properties: 'properties', env: 'dotenv', tf: 'terraform', tfvars: 'terraform', hcl: 'terraform',
  sql: 'sql', lua: 'lua', el: 'elisp', dockerfile: 'dockerfile',
};

/** The language of a file, from its name (and for CI files, its directory). */
export function languageFromPath(path: string): Language {
  // Called for every file of a scan: the path regexes run only on YAML names.
  const normalised = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  const name = normalised.slice(normalised.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower === 'containerfile') {
    return 'dockerfile';
  }
  if (lower === '.env' || lower.startsWith('.env.')) return 'dotenv';
  if (lower === '.gitlab-ci.yml' || lower === '.gitlab-ci.yaml') return 'gitlab-ci';
  if ((lower.endsWith('.yml') || lower.endsWith('.yaml')) &&
    (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(normalised) || /(^|\/)action\.ya?ml$/i.test(normalised))) {
    return 'github-actions';
  }
  if (lower === 'makefile' || lower === '.bashrc' || lower === '.profile' || lower === '.zshrc') return 'shell';
  const dot = lower.lastIndexOf('.');
  if (dot < 0) return 'plaintext';
  return BY_EXTENSION[lower.slice(dot + 1)] ?? 'plaintext';
}

/** True for the languages the JS/TS analysis reads. */
export function isJavaScriptLike(language: Language): boolean {
  return language === 'javascript' || language === 'typescript';
}

/** How a line comment is written in a language: an opener and, for block-only syntaxes, a closer. */
export interface CommentSyntax {
  readonly open: string;
  readonly close?: string;
}

const HASH: CommentSyntax = { open: '#' };
const SLASH: CommentSyntax = { open: '//' };

/** The comment syntax used to write a suppression comment in this language. */
export function commentSyntax(language: Language): CommentSyntax {
  switch (language) {
    case 'python': case 'shell': case 'ruby': case 'yaml': case 'toml': case 'dotenv': case 'properties':
    case 'dockerfile': case 'github-actions': case 'gitlab-ci': case 'terraform': case 'plaintext': case 'ini':
      return HASH;
    case 'html': case 'markdown': case 'xml':
      return { open: '<!--', close: '-->' };
    case 'sql': case 'lua':
      return { open: '--' };
    case 'elisp':
      return { open: ';;' };
    case 'json':
      // JSON has no comments; JSONC and most tooling accept `//`.
      return SLASH;
    default:
      return SLASH;
  }
}
