/**
 * Staged files for pre-commit scanning: what `git commit` would record, read from the index (not the working
 * tree, which may differ). One `git cat-file --batch` process reads every blob.
 */
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import ignore from 'ignore';
import type { EngineConfig } from '../engine/index.js';
import { DEFAULT_MAX_FILE_BYTES, formatBytes, scanBuffer } from './scan-file.js';
import { relPathOf, type FileResult, type TreeScanResult } from './scan-tree.js';
import { isIgnoredBy } from './walk.js';

const run = promisify(execFile);

/** A staged file's path (relative to the repository root, forward slashes) and content. */
export interface StagedBlob {
  readonly path: string;
  readonly content: Buffer | undefined;
  /** Set when the blob could not be read or is over the size cap. */
  readonly problem?: string;
  readonly size: number;
}

/** Thrown when `--staged` is used outside a git work tree (the message says so). */
export class NotARepositoryError extends Error {
  override name = 'NotARepositoryError';
}

/** The repository root and staged paths (added, copied, modified, renamed). Throws an Error outside a git repository. */
export async function listStaged(cwd: string): Promise<{ root: string; paths: string[] }> {
  let root: string;
  try {
    root = (await run('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new NotARepositoryError(`--staged needs a git repository (${stderr.split('\n')[0] || (err as Error).message})`);
  }
  const { stdout } = await run('git', ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR'], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return { root, paths: stdout.split('\0').filter(Boolean) };
}

/** Read staged blobs (`:path` from the index) in one batch; blobs over `maxBytes` are not returned whole. */
export async function readStaged(root: string, paths: readonly string[], maxBytes: number): Promise<StagedBlob[]> {
  // cat-file reads one object name per line, so a path with a newline cannot be asked for.
  const askable = paths.filter((p) => !p.includes('\n'));
  const out: StagedBlob[] = paths.filter((p) => p.includes('\n')).map((path) => ({ path, content: undefined, problem: 'path contains a newline', size: 0 }));
  if (askable.length === 0) return out;
  const data = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git cat-file failed: ${stderr.trim()}`))));
    child.stdin.end(askable.map((p) => `:${p}\n`).join(''));
  });
  let at = 0;
  for (const path of askable) {
    const eol = data.indexOf(10, at);
    if (eol < 0) {
      out.push({ path, content: undefined, problem: 'not in the index', size: 0 });
      continue;
    }
    const header = data.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      out.push({ path, content: undefined, problem: 'not in the index', size: 0 });
      continue;
    }
    const size = Number(m[2]);
    const content = data.subarray(at, at + size);
    at += size + 1;
    if (m[1] !== 'blob') out.push({ path, content: undefined, problem: `not a file (${m[1]})`, size });
    else if (size > maxBytes) out.push({ path, content: undefined, problem: `too large (${formatBytes(size)}, cap ${formatBytes(maxBytes)})`, size });
    else out.push({ path, content: Buffer.from(content), size });
  }
  return out;
}

/** Options of `scanStagedFiles`. */
export interface StagedScanOptions {
  readonly cwd: string;
  readonly engine: EngineConfig;
  readonly maxFileBytes?: number;
  /** The project's ignore patterns (relative to `ignoreBase`) apply; .gitignore does not: staged files are tracked. */
  readonly ignore?: readonly string[];
  readonly ignoreBase?: string;
}

/** Scan what `git commit` would record: staged contents from the index, paths relative to `cwd`. */
export async function scanStagedFiles(options: StagedScanOptions): Promise<TreeScanResult> {
  const started = performance.now();
  const staged = await listStaged(options.cwd);
  const rules = options.ignore?.length ? [{ base: options.ignoreBase ?? options.cwd, rules: ignore().add([...options.ignore]) }] : [];
  const paths = staged.paths.filter((p) => !isIgnoredBy(rules, resolve(staged.root, p), false));
  const blobs = await readStaged(staged.root, paths, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const files: FileResult[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let bytes = 0;
  for (const blob of blobs) {
    const abs = resolve(staged.root, blob.path);
    const relPath = relPathOf(options.cwd, abs);
    const r = blob.content ? scanBuffer(blob.content, relPath, options.engine) : { kind: 'skipped' as const, reason: blob.problem ?? 'unreadable' };
    if (r.kind === 'skipped') {
      skipped.push({ path: relPath, reason: r.reason });
      continue;
    }
    files.push({ path: abs, relPath, findings: r.findings, locations: r.locations, notes: r.notes, bytes: r.bytes });
    bytes += r.bytes;
  }
  return { files, skipped, stats: { files: files.length, bytes, ms: Math.round(performance.now() - started) } };
}
