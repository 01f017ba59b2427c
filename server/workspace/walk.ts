/**
 * Finding the files a scan covers: walks directories honouring `.gitignore` files (nested ones too),
 * `.git/info/exclude` and the project's `ignore` patterns; always skips `.git`.
 *
 * Decisions (documented in the CLI help too):
 * - A file named explicitly is scanned even if an ignore file matches it: the user asked for it.
 * - A directory named explicitly is walked even if an ancestor's ignore rules exclude it (so
 *   `shippi scan node_modules/lodash` works); rules inside it still apply below it.
 * - Symbolic links met during a walk are not followed (git tracks links, not their targets), which also
 *   makes symlink loops impossible. A symlink named explicitly is followed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { describeFsError } from './fs-errors.js';

/** Ignore rules anchored at one directory. */
export interface RuleSet {
  readonly base: string;
  readonly rules: Ignore;
}

/** A path the walk could not use, with the reason. */
export interface WalkSkip {
  readonly path: string;
  readonly reason: string;
}

/** What a walk found: files to scan (absolute paths) and paths it skipped. */
export interface WalkResult {
  /** Sorted, without duplicates; empty when the caller took the files through `onFile` instead. */
  readonly files: string[];
  readonly skipped: WalkSkip[];
}

/** Options of `walkPaths`. */
export interface WalkOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  /** Extra patterns in .gitignore syntax, relative to `ignoreBase` (the config file's directory). */
  readonly ignore?: readonly string[];
  readonly ignoreBase?: string;
  /** Checked between directories; the walk stops early (returning what it has) when set. */
  readonly isCancelled?: () => boolean;
  /** Called once per file as soon as it is found (before the walk ends), for streaming into a scanner. */
  readonly onFile?: (path: string) => void;
  /**
   * Read directories with blocking calls, yielding to the event loop every few milliseconds: about half the
   * CPU of asynchronous reads (which go through libuv's thread pool and a promise each). For a process with
   * nothing else to do meanwhile, like the CLI; not for the language server, whose event loop must answer the
   * editor at once, and whose workspace may sit on a slow network file system.
   */
  readonly blocking?: boolean;
}

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/** The enclosing git work tree's root (the directory holding `.git`), or undefined. */
export function findGitRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

async function readRuleFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // missing or unreadable ignore files simply add no rules
  }
}

/** Whether `path` lies inside (or is) `base`. */
function within(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/**
 * Decide whether an absolute path is ignored by a stack of rule sets, shallowest first: the deepest set
 * with an opinion wins, as in git (a nested `!pattern` re-includes what a parent `.gitignore` excluded).
 */
export function isIgnoredBy(stack: readonly RuleSet[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const set of stack) {
    // Paths in a walk are built by joining onto their base, so a prefix test is exact (and far cheaper than path.relative).
    const prefix = set.base.endsWith(sep) ? set.base : set.base + sep;
    if (!path.startsWith(prefix)) continue;
    const rel = toPosix(path.slice(prefix.length));
    if (rel === '') continue;
    let verdict;
    try {
      verdict = set.rules.test(isDir ? `${rel}/` : rel);
    } catch {
      continue; // the ignore library refuses some odd names; such a path is simply not ignored
    }
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** The ignore rules that apply at a directory: git exclude, every ancestor .gitignore up to the git root, config patterns. */
export async function ancestorRules(dir: string, extra?: readonly string[], extraBase?: string): Promise<RuleSet[]> {
  const stack: RuleSet[] = [];
  const root = findGitRoot(dir);
  if (root) {
    const exclude = await readRuleFile(join(root, '.git', 'info', 'exclude'));
    if (exclude) stack.push({ base: root, rules: ignore().add(exclude) });
    const chain: string[] = [];
    for (let d = resolve(dir); within(root, d); d = dirname(d)) {
      chain.unshift(d);
      if (d === root) break;
    }
    for (const d of chain) {
      const text = await readRuleFile(join(d, '.gitignore'));
      if (text) stack.push({ base: d, rules: ignore().add(text) });
    }
  }
  if (extra && extra.length > 0) {
    // Config patterns go last so they cannot be re-included by a .gitignore negation.
    stack.push({ base: extraBase ?? dir, rules: ignore().add([...extra]) });
  }
  return stack;
}

/** Walk the given paths and return (or stream to `onFile`) the files to scan, without duplicates. */
export async function walkPaths(options: WalkOptions): Promise<WalkResult> {
  const found = new Set<string>();
  const onFile = options.onFile;
  // A set that reports each new member, so duplicates (a file named twice) are streamed once.
  const files = onFile ? { has: (p: string) => found.has(p), add: (p: string) => (found.has(p) ? found : (onFile(p), found.add(p))) } : found;
  const skipped: WalkSkip[] = [];
  const cancelled = options.isCancelled ?? (() => false);

  for (const given of options.paths) {
    const abs = resolve(options.cwd, given);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      skipped.push({ path: abs, reason: describeFsError(err) });
      continue;
    }
    if (info.isFile()) {
      files.add(abs);
      continue;
    }
    if (!info.isDirectory()) {
      skipped.push({ path: abs, reason: 'not a regular file or directory' });
      continue;
    }
    let stack = await ancestorRules(abs, options.ignore, options.ignoreBase ?? options.cwd);
    // Named explicitly but excluded by an ancestor's rules: the user asked for it, so walk it with only its own rules.
    if (isIgnoredBy(stack, abs, true)) stack = stack.filter((s) => within(abs, s.base));
    await (options.blocking ? walkTreeBlocking : walkTree)(abs, stack, files, skipped, cancelled);
  }
  return { files: onFile ? [] : [...found].sort(), skipped };
}

/** Directories read at once: each read waits on the file system, so several in flight keep the walk busy. */
const CONCURRENT_READS = 8;

/** Walk a directory tree, reading up to CONCURRENT_READS directories at a time (files arrive in no set order). */
async function walkTree(root: string, rules: RuleSet[], files: Pick<Set<string>, 'add'>, skipped: WalkSkip[], cancelled: () => boolean): Promise<void> {
  const pending: { dir: string; rules: RuleSet[] }[] = [{ dir: root, rules }];
  let active = 0;
  await new Promise<void>((resolveAll) => {
    const pump = (): void => {
      while (active < CONCURRENT_READS && pending.length > 0 && !cancelled()) {
        const next = pending.pop()!;
        active++;
        void walkDir(next.dir, next.rules, files, skipped, pending).finally(() => {
          active--;
          pump();
        });
      }
      if (active === 0 && (pending.length === 0 || cancelled())) resolveAll();
    };
    pump();
  });
}

/** Blocking reads between yields to the event loop (see WalkOptions.blocking). */
const BLOCKING_SLICE_MS = 4;

/** `walkTree` with blocking directory reads, one directory at a time. */
async function walkTreeBlocking(root: string, rules: RuleSet[], files: Pick<Set<string>, 'add'>, skipped: WalkSkip[], cancelled: () => boolean): Promise<void> {
  const pending: { dir: string; rules: RuleSet[] }[] = [{ dir: root, rules }];
  let sliceStart = performance.now();
  while (pending.length > 0 && !cancelled()) {
    const next = pending.pop()!;
    await walkDir(next.dir, next.rules, files, skipped, pending, true);
    if (performance.now() - sliceStart > BLOCKING_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve)); // let workers be fed and signals be handled
      sliceStart = performance.now();
    }
  }
}

/** Read one directory: report its files, queue its subdirectories (with the ignore rules that apply there). */
async function walkDir(
  dir: string, parent: RuleSet[], files: Pick<Set<string>, 'add'>, skipped: WalkSkip[], queue: { dir: string; rules: RuleSet[] }[], blocking = false,
): Promise<void> {
  let entries;
  try {
    entries = blocking ? readdirSync(dir, { withFileTypes: true }) : await readdir(dir, { withFileTypes: true });
  } catch (err) {
    skipped.push({ path: dir, reason: describeFsError(err) });
    return;
  }
  let stack = parent;
  // The root's own .gitignore was already loaded by ancestorRules; below it, load each as we descend.
  if (!parent.some((s) => s.base === dir) && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
    const text = await readRuleFile(join(dir, '.gitignore'));
    if (text) stack = [...parent, { base: dir, rules: ignore().add(text) }];
  }
  // `dir` is absolute and normalized, so plain concatenation is a correct (and much cheaper) path.join.
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const path = prefix + entry.name;
    if (entry.isDirectory()) {
      if (!isIgnoredBy(stack, path, true)) queue.push({ dir: path, rules: stack });
    } else if (entry.isFile()) {
      if (!isIgnoredBy(stack, path, false)) files.add(path);
    }
    // Symlinks, sockets, FIFOs and devices are not followed or read during a walk.
  }
}
