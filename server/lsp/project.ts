/**
 * One workspace folder as the language server sees it: its `.shippi.json` (the last good one stays in force
 * when the file turns bad) and its baseline of accepted findings.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { Baseline, readBaseline, writeBaseline, type BaselineEntry } from '../workspace/baseline.js';
import { CONFIG_FILE_NAME, parseProjectConfig, type ProjectConfig } from '../workspace/config.js';

/** Where a baseline lives when the config does not say. */
export const DEFAULT_BASELINE_NAME = '.shippi-baseline.json';

/** A workspace folder's config and baseline. */
export class Project {
  /** The last config that parsed; `undefined` when the project has none (or never had a good one). */
  config: ProjectConfig | undefined;
  baseline = new Baseline([]);

  constructor(readonly root: string) {}

  /** Path of the project's `.shippi.json`. */
  get configPath(): string {
    return join(this.root, CONFIG_FILE_NAME);
  }

  /** Path of the baseline file: the config's `baseline` (relative to the root), else the default name. */
  get baselinePath(): string {
    const configured = this.config?.baseline;
    if (!configured) return join(this.root, DEFAULT_BASELINE_NAME);
    return isAbsolute(configured) ? configured : join(this.root, configured);
  }

  /** Whether a file path lies inside this project. */
  contains(path: string): boolean {
    const rel = relative(this.root, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  /** A path relative to the baseline's directory, with forward slashes, as baseline entries store it. */
  baselineFile(path: string): string {
    return relative(dirname(this.baselinePath), path).split(sep).join('/');
  }

  /**
   * Re-read config and baseline. Returns the problems found (each names the file); on a problem the previous
   * good value stays in force.
   */
  async reload(): Promise<string[]> {
    const problems: string[] = [];
    let text: string | undefined;
    try {
      text = await readFile(this.configPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${this.configPath}: ${(err as Error).message}`);
      else this.config = undefined;
    }
    if (text !== undefined) {
      const parsed = parseProjectConfig(text, this.configPath);
      if (parsed.ok) this.config = parsed.config;
      else problems.push(parsed.message);
    }
    try {
      this.baseline = await readBaseline(this.baselinePath);
    } catch (err) {
      problems.push((err as Error).message);
    }
    return problems;
  }

  /** Add accepted findings to the baseline file (read fresh first, so entries added elsewhere are kept). */
  async addToBaseline(entries: readonly BaselineEntry[]): Promise<void> {
    const current = await readBaseline(this.baselinePath);
    this.baseline = current.with(entries);
    await writeBaseline(this.baselinePath, this.baseline);
  }
}
