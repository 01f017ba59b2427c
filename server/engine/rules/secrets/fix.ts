/**
 * The mechanical fix for a hard-coded secret: replace the string literal by a read of an environment
 * variable, in the file's own language, named after the setting (or the provider's convention).
 */
import type { Fix, Language, TextEdit } from '../../types.js';

/** Environment variable name for a setting name: `dbPassword` → DB_PASSWORD, `github.token` → GITHUB_TOKEN. */
export function envNameFor(name: string): string | undefined {
  const parts = name.split(/[.\-/]/).filter((p) => /\w/.test(p));
  // `this.config.token`: a bare generic word takes its qualifier along.
  let chosen = parts.slice(-1);
  if (parts.length >= 2 && /^(?:token|password|secret|key|apikey|auth|pass|pwd|credentials?)$/i.test(parts[parts.length - 1]!)) {
    const qualifier = parts[parts.length - 2]!;
    if (!/^(?:this|self|config|settings|env|options|opts|process|props|params|data|credentials?|secrets?|auth)$/i.test(qualifier)) {
      chosen = parts.slice(-2);
    }
  }
  const snake = chosen.join('_')
    .replace(/^\$+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z][A-Z0-9_]*$/.test(snake) ? snake : undefined;
}

/** The expression that reads an environment variable in a language, or undefined when there is none. */
export function envRead(language: Language, name: string): string | undefined {
  switch (language) {
    case 'javascript': case 'typescript': return `process.env.${name}`;
    case 'python': return `os.environ["${name}"]`;
    case 'go': return `os.Getenv("${name}")`;
    case 'ruby': return `ENV["${name}"]`;
    case 'java': case 'kotlin': return `System.getenv("${name}")`;
    case 'csharp': return `Environment.GetEnvironmentVariable("${name}")`;
    case 'php': return `getenv('${name}')`;
    case 'shell': return `"\${${name}}"`;
    default: return undefined;
  }
}

/** Where the literal sits makes a function call illegal (Go/C#/Kotlin constants, Java annotations). */
function constantContext(text: string, literalStart: number, language: Language): boolean {
  // Only the 200 characters before the literal: a bounded look, so a huge single line stays linear.
  const window = text.slice(Math.max(0, literalStart - 200), literalStart);
  const line = window.slice(window.lastIndexOf('\n') + 1);
  if ((language === 'go' || language === 'csharp') && /\bconst\b/.test(line)) return true;
  if (language === 'kotlin' && /\bconst\s+val\b/.test(line)) return true;
  if ((language === 'java' || language === 'kotlin' || language === 'csharp') && /@\w+\s*\(|\[\w+\s*\(/.test(line)) return true;
  if (language === 'go' && /^\s*(?:`|[A-Za-z_]\w*\s+\w+\s+`)/.test(line)) return true; // struct tags
  return false;
}

let memoText: string | undefined;
let memoLanguage: Language | undefined;
let memoEdit: TextEdit | undefined;

/** `importEdit`, computed once per document: it searches the whole text, and a file may have many findings. */
function importEditOnce(text: string, language: Language): TextEdit | undefined {
  if (text !== memoText || language !== memoLanguage) {
    memoText = text;
    memoLanguage = language;
    memoEdit = importEdit(text, language);
  }
  return memoEdit;
}

/** An extra edit that imports what the env read needs, when the file lacks it. */
function importEdit(text: string, language: Language): TextEdit | undefined {
  if (language === 'python' && !/^\s*(?:import\s+(?:[\w.]+\s*,\s*)*os\b|from\s+os\s+import\s+environ)/m.test(text)) {
    // After a shebang, encoding line and `from __future__` imports, which must stay first.
    const header = /^(?:#![^\n]*\n)?(?:#[^\n]*coding[^\n]*\n)?(?:from __future__ import[^\n]*\n)*/.exec(text)![0];
    return { start: header.length, end: header.length, newText: 'import os\n' };
  }
  if (language === 'go' && !/^\s*(?:import\s+"os"|"os"\s*$)/m.test(text)) {
    const pkg = /^package\s+\w+[^\n]*\n/m.exec(text);
    if (!pkg) return undefined;
    const at = pkg.index + pkg[0].length;
    return { start: at, end: at, newText: '\nimport "os"\n' };
  }
  return undefined;
}

/**
 * A fix replacing the literal between `start` and `end` (quotes included) with an environment read, or
 * undefined when the language has none or the position cannot hold a call.
 */
export function envFix(text: string, language: Language, start: number, end: number, name: string): Fix | undefined {
  const read = envRead(language, name);
  if (!read || constantContext(text, start, language)) return undefined;
  const edits: TextEdit[] = [];
  const imp = importEditOnce(text, language);
  if (imp) edits.push(imp);
  edits.push({ start, end, newText: read });
  return { title: `Read the secret from the ${name} environment variable`, edits };
}

/** The setting name written just before a string literal starting at `quote` (`token = "…"`, `"key": "…"`). */
export function nameBefore(text: string, quote: number): string | undefined {
  const m = /([A-Za-z_$][\w.$-]*)["']?\]?\s*(?::=|=>|[:=])\s*$/.exec(text.slice(Math.max(0, quote - 100), quote));
  return m?.[1];
}
