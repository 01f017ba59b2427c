/** Finding and loading the project's `.shippi.json`: walk up from a directory, validate, name the file on error. */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE_NAME, parseProjectConfig, type ProjectConfig } from './config.js';
import { describeFsError } from './fs-errors.js';

/** A loaded project config and the file it came from. */
export interface LoadedConfig {
  readonly config: ProjectConfig;
  readonly path: string;
}

/** Read and validate one config file; throws an Error naming the file and the problem. */
export async function readProjectConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: ${describeFsError(err)}`);
  }
  const parsed = parseProjectConfig(text, path);
  if (!parsed.ok) throw new Error(parsed.message);
  return { config: parsed.config, path };
}

/** Find and validate the project's .shippi.json walking up from dir (undefined when none). */
export async function loadProjectConfig(dir: string): Promise<LoadedConfig | undefined> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE_NAME);
    let text: string | undefined;
    try {
      text = await readFile(candidate, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A config that exists but cannot be read is an error, not "no config": silently dropping ignores would surprise.
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw new Error(`${candidate}: ${describeFsError(err)}`);
    }
    if (text !== undefined) {
      const parsed = parseProjectConfig(text, candidate);
      if (!parsed.ok) throw new Error(parsed.message);
      return { config: parsed.config, path: candidate };
    }
    if (dirname(d) === d) return undefined;
  }
}
