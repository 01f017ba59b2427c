/**
 * What each local name was imported as: `import { exec as run } from 'node:child_process'` makes `run` mean
 * `child_process.exec`, `const cp = require('child_process')` makes `cp.exec` mean the same. Callee paths are
 * resolved through this map so rules match on what is called, not on what it happens to be named.
 */
import { Tok } from './tokenizer.js';
import { isP, isWord, stringValue, tok, type Tree } from './syntax.js';

/** Local name → canonical dotted path (`child_process.exec`, `fs.promises`, `jsonwebtoken`). */
export type ImportMap = Map<string, string>;

// Packages that are drop-in replacements for a core module resolve to that module.
const ALIASES: Readonly<Record<string, string>> = {
  'fs/promises': 'fs.promises',
  'fs-extra': 'fs',
  'graceful-fs': 'fs',
  'child_process': 'child_process',
};

/** The canonical path of a module specifier (`node:fs/promises` → `fs.promises`). */
export function canonicalModule(spec: string): string {
  const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
  return ALIASES[bare] ?? bare;
}

/** Collect every import and require binding of a file. */
export function collectImports(t: Tree): ImportMap {
  const map: ImportMap = new Map();
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] !== Tok.Ident) continue;
    const len = t.end[i]! - t.start[i]!;
    if (len === 6 ? t.text.charCodeAt(t.start[i]!) !== 105 : len !== 7 || t.text.charCodeAt(t.start[i]!) !== 114) continue; // import / require
    if (isWord(t, i, 'import') && !isP(t, i + 1, '(') && !isP(t, i + 1, '.')) i = readImport(t, i, map);
    else if (isWord(t, i, 'require') && isP(t, i + 1, '(') && t.kind[i + 2] === Tok.String && isP(t, i + 3, ')')) {
      readRequire(t, i, map);
    }
  }
  return map;
}

function readImport(t: Tree, at: number, map: ImportMap): number {
  let i = at + 1;
  if (isWord(t, i, 'type')) return i;
  // TypeScript `import x = require('m')`
  if (t.kind[i] === Tok.Ident && isP(t, i + 1, '=') && isWord(t, i + 2, 'require') && t.kind[i + 4] === Tok.String) {
    map.set(tok(t, i), canonicalModule(stringValue(t, i + 4) ?? ''));
    return i + 4;
  }
  const names: [string, string][] = [];
  const limit = Math.min(t.count, at + 400);
  for (; i < limit && !isWord(t, i, 'from'); i++) {
    if (t.kind[i] === Tok.String) return i; // side-effect import
    if (isP(t, i, '*') && isWord(t, i + 1, 'as')) { names.push([tok(t, i + 2), '']); i += 2; continue; }
    if (isP(t, i, '{')) {
      const close = t.match[i]! >= 0 ? t.match[i]! : limit;
      for (let j = i + 1; j < close; j++) {
        if (t.kind[j] !== Tok.Ident || isWord(t, j, 'type')) continue;
        const imported = tok(t, j);
        if (isWord(t, j + 1, 'as') && t.kind[j + 2] === Tok.Ident) { names.push([tok(t, j + 2), imported]); j += 2; }
        else names.push([imported, imported]);
      }
      i = close;
      continue;
    }
    if (t.kind[i] === Tok.Ident) names.push([tok(t, i), '']);
  }
  if (!isWord(t, i, 'from') || t.kind[i + 1] !== Tok.String) return i;
  const mod = canonicalModule(stringValue(t, i + 1) ?? '');
  for (const [local, imported] of names) map.set(local, imported ? `${mod}.${imported}` : mod);
  return i + 1;
}

function readRequire(t: Tree, at: number, map: ImportMap): void {
  let mod = canonicalModule(stringValue(t, at + 2) ?? '');
  let after = at + 4;
  // `require('m').member`
  while (isP(t, after, '.') && t.kind[after + 1] === Tok.Ident) { mod += `.${tok(t, after + 1)}`; after += 2; }
  const eq = at - 1;
  if (!isP(t, eq, '=')) return;
  const target = eq - 1;
  if (t.kind[target] === Tok.Ident) { map.set(tok(t, target), mod); return; }
  if (isP(t, target, '}') && t.match[target]! >= 0) {
    // `const { exec, spawn: run } = require('child_process')`
    for (let j = t.match[target]! + 1; j < target; j++) {
      if (t.kind[j] !== Tok.Ident) continue;
      const imported = tok(t, j);
      if (isP(t, j + 1, ':') && t.kind[j + 2] === Tok.Ident) { map.set(tok(t, j + 2), `${mod}.${imported}`); j += 2; }
      else map.set(imported, `${mod}.${imported}`);
    }
  }
}

/** Resolve a callee path through the imports: `cp.exec` → `child_process.exec` when `cp` came from child_process. */
export function resolvePath(path: string, imports: ImportMap): string {
  const dot = path.search(/[.(\[]/);
  const head = dot < 0 ? path : path.slice(0, dot);
  const mapped = imports.get(head);
  if (mapped === undefined) return path;
  return dot < 0 ? mapped : mapped + path.slice(dot);
}
