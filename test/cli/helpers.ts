/** Running the built CLI (`dist/shippi.js`, built by `npm test`) in temp directories. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CLI = new URL('../../dist/shippi.js', import.meta.url).pathname;

/** What a CLI run produced. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node dist/shippi.js ...args` in `cwd`, without colours. */
export function shippi(cwd: string, args: readonly string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp directory with helpers to write files; `cleanup` removes it. */
export function tempTree(prefix = 'shippi-cli-'): { root: string; put(rel: string, content: string | Buffer): string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    root,
    put(rel, content) {
      const path = join(root, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
