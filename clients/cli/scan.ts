/**
 * `shippi scan`: scan files or a tree and report in text, json or sarif (contract: shared/DESIGN.md).
 * Exit codes: 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 usage or config error,
 * 130 interrupted.
 */
import { stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { CATEGORIES, CancelledError, SEVERITIES, type Category, type EngineConfig, type Severity } from '../../server/engine/index.js';
import { Baseline, readBaseline, writeBaseline, type BaselineEntry } from '../../server/workspace/baseline.js';
import { toEngineConfig, type ProjectConfig } from '../../server/workspace/config.js';
import {
  DEFAULT_MAX_FILE_BYTES, loadProjectConfig, readProjectConfig, scanTree, type LoadedConfig, type TreeScanResult,
} from '../../server/workspace/scan-tree.js';
import { describePathError } from '../../server/workspace/fs-errors.js';
import { NotARepositoryError, scanStagedFiles } from '../../server/workspace/staged.js';
import { CliError, type Command } from './command.js';
import { SCAN_OPTIONS } from './scan-options.js';
import { writeOut } from './output/stdout.js';
import { ansi, plain, wantsColour } from './output/colour.js';
import { formatJson } from './output/json.js';
import { createProgress } from './output/progress.js';
import { severityRank, type Report, type ReportFinding } from './output/report.js';
import { formatSarif } from './output/sarif.js';
import { formatText, summaryLine } from './output/text.js';

/** The default threshold: anything but `info` fails the run (info findings are hints, not problems). */
export const DEFAULT_FAIL_ON: Severity = 'low';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** A comma-separated list wrapped at `width` columns, every line indented by `indent` spaces. */
function wrapList(items: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line && indent + line.length + 1 + piece.length > width) { lines.push(line); line = piece; } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}

const HELP = `usage: shippi scan [PATH...] [options]

Scan files and directories (default: the current directory) for security problems.

options:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE instead of stdout
  --fail-on SEVERITY|none    exit 1 when a finding is at least this severe: critical, high, medium,
                             low (default) or info; none never fails
  --only CATEGORY,...        report only these categories:
${wrapList(CATEGORIES, 29, 100)}
  --config FILE              use this config instead of the nearest .shippi.json
  --baseline FILE            hide findings recorded in this baseline file
  --write-baseline FILE      record every current finding in FILE (then nothing is reported)
  --staged                   scan the staged contents of files (git index), for pre-commit hooks
  -h, --help                 show this help

Directories are walked honouring .gitignore files, .git/info/exclude and the config's "ignore"
patterns; a file or directory named on the command line is scanned even if ignored. Binary files
and files over the size cap (8 MiB, "maxFileBytes" in .shippi.json) are skipped and counted in the
summary; files that are not valid UTF-8 are scanned with a note; a file whose analysis takes over
30 s is skipped as timed out. Symbolic links are not followed inside directories.

exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage or config error.
`;

interface ScanArgs {
  readonly paths: string[];
  readonly format: Format;
  readonly output: string | undefined;
  readonly failOn: Severity | 'none';
  readonly only: Category[] | undefined;
  readonly config: string | undefined;
  readonly baseline: string | undefined;
  readonly writeBaseline: string | undefined;
  readonly staged: boolean;
}

/** Parse and validate `shippi scan` arguments; throws CliError (exit 2) naming the problem. */
export function parseScanArgs(argv: readonly string[]): ScanArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: SCAN_OPTIONS,
    });
  } catch (err) {
    // node's messages carry a long hint about '--'; the first sentence names the problem.
    throw new CliError(`${(err as Error).message.split('. ')[0]!.replace(/\.$/, '')} (see 'shippi scan --help')`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const format = v.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const failOn = v['fail-on'] ?? DEFAULT_FAIL_ON;
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new CliError(`--fail-on must be one of ${SEVERITIES.join(', ')} or none, not '${failOn}'`);
  }
  let only: Category[] | undefined;
  if (v.only !== undefined) {
    only = v.only.split(',').map((c) => c.trim()).filter(Boolean) as Category[];
    const bad = only.find((c) => !CATEGORIES.includes(c));
    if (bad !== undefined || only.length === 0) throw new CliError(`--only: unknown category '${bad ?? v.only}' (one of ${CATEGORIES.join(', ')})`);
  }
  for (const key of ['output', 'config', 'baseline', 'write-baseline'] as const) {
    if (v[key] === '') throw new CliError(`--${key} needs a file name`);
  }
  if (v.staged && parsed.positionals.length > 0) throw new CliError('--staged scans the git index; it takes no paths');
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: format as Format,
    output: v.output,
    failOn: failOn as Severity | 'none',
    only,
    config: v.config,
    baseline: v.baseline,
    writeBaseline: v['write-baseline'],
    staged: v.staged === true,
  };
}

/** The --config file, else the nearest .shippi.json above the first scanned path, else above the current directory. */
async function loadConfig(args: ScanArgs, cwd: string): Promise<LoadedConfig | undefined> {
  try {
    if (args.config !== undefined) return await readProjectConfig(resolve(cwd, args.config));
    const first = resolve(cwd, args.staged ? '.' : args.paths[0]!);
    const start = (await stat(first).then((s) => s.isDirectory(), () => false)) ? first : dirname(first);
    return (await loadProjectConfig(start)) ?? (await loadProjectConfig(cwd));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

async function loadBaseline(args: ScanArgs, loaded: LoadedConfig | undefined, cwd: string): Promise<{ baseline: Baseline; dir: string } | undefined> {
  const explicit = args.baseline !== undefined;
  const file = explicit ? resolve(cwd, args.baseline!) : loaded?.config.baseline !== undefined ? resolve(dirname(loaded.path), loaded.config.baseline) : undefined;
  if (file === undefined) return undefined;
  if (explicit && !(await stat(file).then((s) => s.isFile(), () => false))) throw new CliError(`--baseline: ${args.baseline}: no such file`);
  try {
    return { baseline: await readBaseline(file), dir: dirname(file) };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** A finding as a baseline entry, its file relative to the baseline's directory. */
function baselineEntry(f: ReportFinding, absPath: string, baselineDir: string): BaselineEntry {
  const rel = relative(baselineDir, absPath);
  return { ruleId: f.finding.ruleId, file: sep === '/' ? rel : rel.split(sep).join('/'), fingerprint: f.finding.fingerprint };
}

/** Scan the staged files, turning "not a git repository" into a usage error. */
async function scanStaged(cwd: string, engine: EngineConfig, maxFileBytes: number, config: ProjectConfig | undefined, configDir: string): Promise<TreeScanResult> {
  try {
    return await scanStagedFiles({ cwd, engine, maxFileBytes, ...(config?.ignore ? { ignore: config.ignore, ignoreBase: configDir } : {}) });
  } catch (err) {
    if (err instanceof NotARepositoryError) throw new CliError(err.message);
    throw err;
  }
}

export const scanCommand: Command = {
  async run(argv: readonly string[]): Promise<number> {
    const args = parseScanArgs(argv);
    if (args === 'help') {
      writeOut(HELP);
      return 0;
    }
    const cwd = process.cwd();
    const loaded = await loadConfig(args, cwd);
    const config = loaded?.config;
    const configDir = loaded ? dirname(loaded.path) : cwd;
    const engine: EngineConfig = { ...(config ? toEngineConfig(config) : {}), ...(args.only ? { only: args.only } : {}) };
    const maxFileBytes = config?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const baseline = await loadBaseline(args, loaded, cwd);

    if (!args.staged) {
      for (const p of args.paths) {
        const problem = await stat(resolve(cwd, p)).then(() => undefined, describePathError);
        if (problem !== undefined) throw new CliError(`${p}: ${problem}`);
      }
    }

    const cancel = { isCancellationRequested: false };
    const onSigint = (): void => {
      cancel.isCancellationRequested = true;
    };
    process.once('SIGINT', onSigint);
    const progress = createProgress(process.stderr);
    let result: TreeScanResult;
    try {
      result = args.staged
        ? await scanStaged(cwd, engine, maxFileBytes, config, configDir)
        : await scanTree({
          paths: args.paths, cwd, engine, maxFileBytes, cancel, blockingWalk: true,
          ...(config?.ignore ? { ignore: config.ignore, ignoreBase: configDir } : {}),
          onProgress: (p) => progress.update(p),
        });
    } catch (err) {
      if (err instanceof CancelledError) {
        process.stderr.write('shippi scan: interrupted\n');
        return 130;
      }
      throw err;
    } finally {
      progress.done();
      process.removeListener('SIGINT', onSigint);
    }

    const all: (ReportFinding & { abs: string })[] = [];
    const notes: Report['notes'][number][] = [];
    for (const file of result.files) {
      file.findings.forEach((finding, i) => all.push({ file: file.relPath, location: file.locations[i]!, finding, abs: file.path }));
      for (const note of file.notes) notes.push({ file: file.relPath, note });
    }

    let accepted = baseline?.baseline;
    if (args.writeBaseline !== undefined) {
      const target = resolve(cwd, args.writeBaseline);
      const dir = dirname(target);
      const written = new Baseline([]).with(all.map((f) => baselineEntry(f, f.abs, dir)));
      try {
        await writeBaseline(target, written);
      } catch (err) {
        throw new CliError(`--write-baseline: ${args.writeBaseline}: ${(err as Error).message}`);
      }
      accepted = written;
      process.stderr.write(`shippi scan: wrote ${written.entries.length} finding(s) to ${args.writeBaseline}\n`);
    }
    const baselineDir = args.writeBaseline !== undefined ? dirname(resolve(cwd, args.writeBaseline)) : baseline?.dir ?? cwd;
    const shown = accepted ? all.filter((f) => !accepted.has(baselineEntry(f, f.abs, baselineDir))) : all;

    const report: Report = {
      findings: shown.map(({ file, location, finding }) => ({ file, location, finding })),
      notes,
      skipped: result.skipped,
      stats: result.stats,
      baselined: all.length - shown.length,
      maxFileBytes,
    };
    const toFile = args.output !== undefined;
    const text = args.format === 'json' ? formatJson(report)
      : args.format === 'sarif' ? formatSarif(report, cwd)
        : formatText(report, !toFile && wantsColour(process.stdout) ? ansi : plain);
    if (toFile) {
      try {
        await writeFile(resolve(cwd, args.output!), text);
      } catch (err) {
        throw new CliError(`--output: ${args.output}: ${describePathError(err)}`);
      }
      process.stderr.write(`${summaryLine(report, wantsColour(process.stderr) ? ansi : plain)}\n`);
    } else {
      writeOut(text);
    }

    if (args.failOn === 'none') return 0;
    const threshold = severityRank(args.failOn);
    return report.findings.some((f) => severityRank(f.finding.severity) <= threshold) ? 1 : 0;
  },
};
