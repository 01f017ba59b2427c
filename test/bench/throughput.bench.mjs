// Throughput of the built CLI over ~110 MB of real JavaScript/TypeScript: a pinned set of npm packages installed
// on first run into test/bench/.cache (gitignored). Runs `node dist/shippi.js scan DIR --format json` for the
// full rule set and for `--only secret`, and prints MB/s (wall clock), CPU seconds and peak RSS of the process
// (worker threads live in the same process, so this covers main thread + workers).
// Targets (issue 2): ≥ 30 MB/s full, ≥ 150 MB/s --only secret, peak memory < 300 MB.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');
const cache = join(here, '.cache');
const corpus = join(cache, 'node_modules');
const cli = join(root, 'dist', 'shippi.js');
const PACKAGES = [
  'typescript@5.6.3', 'lodash@4.17.21', 'rxjs@7.8.1', '@babel/core@7.26.0', '@babel/preset-env@7.26.0', 'three@0.170.0',
  'date-fns@4.1.0', 'moment@2.30.1', 'core-js@3.39.0', 'react-dom@18.3.1', 'webpack@5.96.1',
];
const stamp = join(cache, 'installed.txt');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== PACKAGES.join('\n')) {
  console.log(`installing the benchmark corpus into ${cache} (once)…`);
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'package.json'), '{"name":"shippi-bench-corpus","private":true}\n');
  const npm = spawnSync('npm', ['install', '--prefix', cache, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...PACKAGES], { stdio: 'inherit' });
  if (npm.status !== 0) {
    console.log('could not install the benchmark corpus (no registry access?); skipping');
    process.exit(0);
  }
  writeFileSync(stamp, PACKAGES.join('\n'));
}
if (!existsSync(cli)) {
  console.log('dist/shippi.js is missing: run `npm run build` (npm run bench does)');
  process.exit(1);
}

/** Peak RSS and CPU time (all threads) by polling /proc (Linux); zeros where unavailable. */
function watch(pid) {
  let peak = 0;
  let cpuTicks = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      // Fields 14 and 15 of /proc/PID/stat: user and system time in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      cpuTicks = Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process has exited
    }
  };
  const timer = setInterval(read, 20);
  return { stop: () => (clearInterval(timer), read(), { peak, cpu: cpuTicks / 100 }) };
}

/** One run of the CLI: wall seconds, the scan's own seconds (stats.ms), CPU seconds, peak RSS, output. */
function once(extra) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'scan', corpus, '--format', 'json', '--fail-on', 'none', ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const usage = watch(child.pid);
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000;
      const { peak, cpu } = usage.stop();
      resolve(code === 0 ? { wall, cpu, peak, out: JSON.parse(Buffer.concat(chunks).toString('utf8')) } : { code });
    });
  });
}

const RUNS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs of one configuration, as median and best: "scan" is the scan's own time as the CLI reports it (from
 * the walk's start; worker threads may already be starting), "whole process" is spawn to exit, including
 * Node's start-up and module loading (about 0.15 s here).
 */
async function run(label, extra) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await once(extra);
    if (r.code !== undefined) {
      console.log(`${label}: exit ${r.code}`);
      return;
    }
    runs.push(r);
  }
  const { out } = runs[0];
  const mb = out.stats.bytes / 1e6;
  const rate = (secs) => `${(mb / median(secs)).toFixed(1)} MB/s (best ${(mb / Math.min(...secs)).toFixed(1)})`;
  const peak = Math.max(...runs.map((r) => r.peak));
  console.log(`${label.padEnd(14)} ${mb.toFixed(1)} MB in ${out.stats.files} files, ${out.findings.length} findings; median of ${RUNS}:`);
  console.log(`${''.padEnd(14)} scan ${rate(runs.map((r) => r.out.stats.ms / 1000))}; whole process ${rate(runs.map((r) => r.wall))}; peak RSS ${peak ? `${(peak / 1048576).toFixed(0)} MiB` : 'n/a'}`);
  // Wall-clock figures depend on what else runs on the machine; CPU time does not (much).
  const cpu = median(runs.map((r) => r.cpu));
  if (cpu > 0) console.log(`${''.padEnd(14)} CPU ${cpu.toFixed(2)} s = ${(mb / cpu).toFixed(1)} MB per CPU-second; on ${availableParallelism()} idle cores ≈ ${(mb / cpu * availableParallelism()).toFixed(0)} MB/s`);
}

/** The fixed cost of a scan: Node's start-up, the CLI's modules, worker start-up and exit, on an empty directory. */
async function fixedCost() {
  const empty = mkdtempSync(join(tmpdir(), 'shippi-empty-'));
  try {
    const walls = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      spawnSync(process.execPath, [cli, 'scan', empty, '--format', 'json', '--fail-on', 'none'], { stdio: 'ignore' });
      walls.push((performance.now() - started) / 1000);
    }
    console.log(`${'empty dir'.padEnd(14)} spawn to exit, nothing to scan: median ${median(walls).toFixed(2)} s of 5 (node alone: ${nodeAlone().toFixed(2)} s)`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

function nodeAlone() {
  const walls = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    walls.push((performance.now() - started) / 1000);
  }
  return median(walls);
}

/**
 * The same files merely read (walk, then one thread per core reading), no scanning: how much of a scan's time
 * this machine's file system and Node's start-up take on their own.
 */
function readOnly() {
  const walls = [];
  let read;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [join(here, '_read-only.mjs'), corpus], { encoding: 'utf8' });
    walls.push((performance.now() - started) / 1000);
    read = JSON.parse(r.stdout);
  }
  const mb = read.bytes / 1e6;
  console.log(`${'read only'.padEnd(14)} ${mb.toFixed(1)} MB in ${read.files} files read by ${availableParallelism()} threads, nothing scanned: median ${median(walls).toFixed(2)} s of ${RUNS} = ${(mb / median(walls)).toFixed(0)} MB/s whole process`);
}

console.log(`${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await fixedCost();
readOnly();
await run('--only secret', ['--only', 'secret']);
await run('full', []);
