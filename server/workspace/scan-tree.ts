/**
 * Scanning a tree of files: walk (gitignore-aware, see walk.ts), then scan every file on a pool of worker
 * threads using all cores. Workers receive paths in small batches and read the files themselves, so file
 * text never crosses a thread boundary; results stream back a batch (32 files) at a time.
 *
 * Small scans (fewer than 50 files totalling under 1 MiB) run in-process: starting threads would cost more
 * than it saves, unless the caller started them already (`prestartScanWorkers`, see scan-workers.ts).
 * Passing `workers` explicitly forces the choice (`0` = in-process, `n` = n threads). The worker script is
 * `scan-worker.cjs` next to this module (in the bundle: `dist/scan-worker.cjs`); when it is missing (running
 * from source) the `.ts` worker is used under tsx, and failing that, the scan runs in-process.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { relative, sep } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { CancelledError, compareStrings, never, withDeadline, type Cancel, type EngineConfig, type Finding, type ScanNote } from '../engine/index.js';
import { cleanResult, DEFAULT_MAX_FILE_BYTES, scanFile, type FindingLocation, type ScannedFile, type SkippedFile } from './scan-file.js';
import { walkPaths } from './walk.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './scan-worker-protocol.js';
import { DEFAULT_WORKER_HEAP_MB, prestartedWorkerCount, startScanWorker, stopPrestartedWorkers, takePrestartedWorker, workerScript, type WorkerScript } from './scan-workers.js';

export { loadProjectConfig, readProjectConfig, type LoadedConfig } from './project-config.js';
export { DEFAULT_MAX_FILE_BYTES, formatBytes, type FindingLocation } from './scan-file.js';
export { prestartScanWorkers } from './scan-workers.js';

/** One scanned file. */
export interface FileResult {
  /** Absolute path. */
  readonly path: string;
  /** Relative to `cwd`, forward slashes. */
  readonly relPath: string;
  readonly findings: readonly Finding[];
  /** `locations[i]`: 1-based line/column of `findings[i]` (see FindingLocation). */
  readonly locations: readonly FindingLocation[];
  readonly notes: readonly ScanNote[];
  readonly bytes: number;
}

/** Options of `scanTree`. */
export interface TreeScanOptions {
  /** Files or directories, absolute or relative to `cwd`. */
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly engine: EngineConfig;
  /** Extra ignore patterns (.gitignore syntax), relative to `ignoreBase` (default `cwd`). */
  readonly ignore?: readonly string[];
  /** The directory `ignore` patterns are relative to (the config file's directory). */
  readonly ignoreBase?: string;
  /** Files larger than this are skipped (default 8 MiB). */
  readonly maxFileBytes?: number;
  /** Worker threads; default all cores (small scans in-process); `0` forces in-process. */
  readonly workers?: number;
  readonly cancel?: Cancel;
  /**
   * A file whose analysis takes longer than this is abandoned and reported as skipped (default 30 s; 0 = no
   * limit). A worker thread is stopped from outside; in-process, rule families stop at their next check of
   * the cancel token (every few thousand steps).
   */
  readonly fileTimeoutMs?: number;
  /** Walk with blocking directory reads (see WalkOptions.blocking): for the CLI, not the language server. */
  readonly blockingWalk?: boolean;
  /** Old-generation heap cap of each worker thread in MiB (default 128; 0 = V8's default). */
  readonly workerHeapMb?: number;
  readonly onFile?: (r: FileResult) => void;
  readonly onProgress?: (p: { files: number; bytes: number }) => void;
}

/** Everything a tree scan produced. Files are sorted by `relPath`. */
export interface TreeScanResult {
  readonly files: FileResult[];
  /** Paths not scanned (binary, too large, unreadable, vanished), with a one-line reason. */
  readonly skipped: { path: string; reason: string }[];
  readonly stats: { files: number; bytes: number; ms: number };
}

const SMALL_SCAN_FILES = 50;
const SMALL_SCAN_BYTES = 1024 * 1024;
const BATCH_FILES = 32;
/**
 * Batches queued at each worker. A worker answers a batch and starts the next one it already holds; the main
 * thread (walking, and sharing two cores with the workers) can take a few milliseconds to send more. With two
 * batches of 16 queued, workers sat waiting for messages for about a fifth of the scan; with 128 files queued,
 * a few per cent. Batches of 32 rather than 16 halve the messages (each costs ~0.1 ms of a worker's time here).
 */
const IN_FLIGHT = 4;
const DEFAULT_FILE_TIMEOUT_MS = 30_000;

/** Forward-slash path relative to cwd. */
export function relPathOf(cwd: string, path: string): string {
  // Walked paths are built on the (absolute, normalized) root, so a prefix test is exact and far cheaper.
  const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  if (sep === '/' && path.startsWith(prefix) && !path.includes('/./') && !path.includes('/../')) return path.slice(prefix.length);
  const rel = relative(cwd, path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** Walk the given paths and scan every file found; rejects with `CancelledError` when cancelled. */
export async function scanTree(options: TreeScanOptions): Promise<TreeScanResult> {
  const started = performance.now();
  const cancel = options.cancel;
  const isCancelled = (): boolean => cancel?.isCancellationRequested === true;
  // Scanning starts while the walk is still finding files, so walking a big tree costs no extra time.
  const queue = new JobQueue();
  const walking = walkPaths({
    paths: options.paths,
    cwd: options.cwd,
    ...(options.ignore ? { ignore: options.ignore } : {}),
    ...(options.ignoreBase ? { ignoreBase: options.ignoreBase } : {}),
    isCancelled,
    ...(options.blockingWalk ? { blocking: true } : {}),
    onFile: (path) => queue.push({ path, relPath: relPathOf(options.cwd, path) }),
  }).finally(() => queue.close());
  const scanning = scanQueue(queue, options);
  const [walked, scanned] = await Promise.all([walking, scanning]);
  if (isCancelled()) throw new CancelledError();
  const skipped = [...walked.skipped.map((s) => ({ path: relPathOf(options.cwd, s.path), reason: s.reason })), ...scanned.skipped];
  skipped.sort(byPath);
  return { files: scanned.files, skipped, stats: { ...scanned.stats, ms: Math.round(performance.now() - started) } };
}

/** A file to scan. */
export interface FileJob {
  readonly path: string;
  readonly relPath: string;
}

/** Files to scan, still growing while the walk runs; idle workers wait on it. */
class JobQueue {
  readonly jobs: FileJob[] = [];
  done = false;
  private waiters: (() => void)[] = [];
  private scheduled = false;

  push(job: FileJob): void {
    this.jobs.push(job);
    // Wake waiters once per burst (a directory's files arrive synchronously), so batches are not 1 file each.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.wake();
      });
    }
  }

  close(): void {
    this.done = true;
    this.wake();
  }

  /** Call `fn` once more jobs arrive or the queue closes. */
  wait(fn: () => void): void {
    this.waiters.push(fn);
  }

  /** Resolves once `n` jobs are queued or the queue is closed. */
  until(n: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => (this.done || this.jobs.length >= n ? resolve() : this.wait(check));
      check();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const fn of waiters) fn();
  }
}

const byPath = (a: { path: string }, b: { path: string }): number => compareStrings(a.path, b.path);

/** Scan an explicit list of files (no walking, no ignore rules). */
export async function scanFiles(jobs: readonly FileJob[], options: Omit<TreeScanOptions, 'paths'>): Promise<TreeScanResult> {
  const queue = new JobQueue();
  for (const job of jobs) queue.jobs.push(job);
  queue.close();
  return scanQueue(queue, options);
}

async function scanQueue(queue: JobQueue, options: Omit<TreeScanOptions, 'paths'>): Promise<TreeScanResult> {
  const started = performance.now();
  const files: FileResult[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let bytes = 0;
  const accept = (job: FileJob, r: ScannedFile | SkippedFile): void => {
    if (r.kind === 'skipped') {
      skipped.push({ path: job.relPath, reason: r.reason });
      return;
    }
    const result: FileResult = { path: job.path, relPath: job.relPath, findings: r.findings, locations: r.locations, notes: r.notes, bytes: r.bytes };
    files.push(result);
    bytes += r.bytes;
    options.onFile?.(result);
    options.onProgress?.({ files: files.length, bytes });
  };
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const threads = await chooseThreads(queue, options.workers);
  const script = threads > 0 ? workerScript() : undefined;
  let rest: readonly FileJob[] = queue.jobs;
  if (script) {
    rest = await runPool(queue, script, threads, {
      engine: options.engine,
      maxFileBytes: maxBytes,
      cancel: options.cancel,
      heapMb: options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB,
      fileTimeoutMs: options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
    }, accept).finally(stopPrestartedWorkers);
  } else {
    stopPrestartedWorkers();
    await queue.until(Infinity);
  }
  const timeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  for (const job of rest) {
    if (options.cancel?.isCancellationRequested) throw new CancelledError();
    accept(job, await scanFileWithin(job, options.engine, maxBytes, options.cancel ?? never, timeoutMs));
  }
  if (options.cancel?.isCancellationRequested) throw new CancelledError();
  files.sort((a, b) => byPath({ path: a.relPath }, { path: b.relPath }));
  skipped.sort(byPath);
  return { files, skipped, stats: { files: files.length, bytes, ms: Math.round(performance.now() - started) } };
}

/**
 * Scan one file in this thread, its analysis bounded by `timeoutMs` (0: none) as on a worker: this thread
 * cannot be stopped from outside, but rule families check their cancel token every few thousand steps.
 */
async function scanFileWithin(job: FileJob, engine: EngineConfig, maxBytes: number, cancel: Cancel, timeoutMs: number): Promise<ScannedFile | SkippedFile> {
  if (timeoutMs <= 0) return scanFile(job.path, job.relPath, engine, maxBytes, cancel);
  const bounded = withDeadline(cancel, timeoutMs);
  try {
    return await scanFile(job.path, job.relPath, engine, maxBytes, bounded);
  } catch (err) {
    if (!(err instanceof CancelledError) || !bounded.expired) throw err;
    return { kind: 'skipped', reason: `timed out (analysis took over ${describeMs(timeoutMs)})`, bytes: 0 };
  }
}

/** `30 s`, `250 ms`. */
function describeMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/**
 * Threads to use: as asked; else all cores when workers were prestarted; else none for small scans (start-up
 * would cost more than it saves), else all cores.
 */
async function chooseThreads(queue: JobQueue, requested: number | undefined): Promise<number> {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  // Workers already started (by the CLI): their cost is paid, so use them without waiting to see the scan's size.
  if (prestartedWorkerCount() > 0) return availableParallelism();
  await queue.until(SMALL_SCAN_FILES);
  const jobs = queue.jobs;
  if (jobs.length === 0) return 0;
  if (queue.done && jobs.length < SMALL_SCAN_FILES) {
    let total = 0;
    for (const job of jobs) total += await stat(job.path).then((s) => s.size, () => 0);
    if (total < SMALL_SCAN_BYTES) return 0;
  }
  return Math.min(availableParallelism(), queue.done ? Math.ceil(jobs.length / 2) : Infinity);
}

/** Settings of one pool run. */
interface PoolSettings {
  readonly engine: EngineConfig;
  readonly maxFileBytes: number;
  readonly cancel: Cancel | undefined;
  readonly heapMb: number;
  readonly fileTimeoutMs: number;
}

/**
 * Run jobs on `threads` workers; each idle worker pulls the next batch. Resolves with the jobs that still need
 * scanning: the batches of workers that died (a crash or a script that fails to load), for the caller to scan
 * in-process — a broken pool degrades to a slower scan, never to missing files. A file that takes longer than
 * the timeout is skipped: its worker is replaced and the rest of its batch goes back to the pool.
 */
function runPool(
  queue: JobQueue,
  script: WorkerScript,
  threads: number,
  settings: PoolSettings,
  accept: (job: FileJob, r: ScannedFile | SkippedFile) => void,
): Promise<FileJob[]> {
  return new Promise((resolveAll, rejectAll) => {
    let next = 0;
    let live = 0;
    let failedStarts = 0;
    let finished = false;
    const retry: FileJob[] = [];
    const requeued: FileJob[] = [];
    const workers = new Set<Worker>();
    /** Workers with nothing left to do; once every live one is, the scan is over (no waiting for threads to exit). */
    const idle = new Set<Worker>();
    const watchdogs = new Set<() => void>();
    const { cancel, fileTimeoutMs } = settings;

    const finish = (err?: Error): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      for (const w of workers) void w.terminate();
      if (err) rejectAll(err);
      // Too many crashes: whatever the walk still finds is scanned in-process too.
      else void queue.until(Infinity).then(() => resolveAll([...retry, ...requeued, ...queue.jobs.slice(next)]));
    };
    const workLeft = (): boolean => requeued.length > 0 || !queue.done || next < queue.jobs.length;
    const allIdle = (): boolean => live > 0 && idle.size === live && !workLeft();
    // Workers cannot see the caller's token, and a worker stuck in one file cannot answer: poll both.
    const timer = setInterval(() => {
      if (cancel?.isCancellationRequested) finish(new CancelledError());
      else for (const check of watchdogs) check();
    }, fileTimeoutMs > 0 ? Math.max(10, Math.min(50, fileTimeoutMs / 4)) : 50);
    timer.unref();

    const start = (): void => {
      const { worker, progress, online } = takePrestartedWorker(settings.heapMb) ?? startScanWorker(script, settings.heapMb);
      worker.postMessage({ type: 'setup', engine: settings.engine, maxFileBytes: settings.maxFileBytes } satisfies WorkerSetup);
      workers.add(worker);
      live++;
      // Several batches in flight per worker (IN_FLIGHT), so a worker need not wait for the main thread between
      // batches. The worker answers batches in order.
      const inflight: { seq: number; batch: FileJob[]; pending: Set<FileJob> }[] = [];
      let seq = 0;
      let waiting = false;
      let delivered = false;
      let timedOut = false;
      let exited = false;
      let seen = -1;
      let since = performance.now();
      const feed = (): void => {
        waiting = false;
        while (!finished && !exited && inflight.length < IN_FLIGHT) {
          let batch: FileJob[];
          if (requeued.length > 0) batch = requeued.splice(0, BATCH_FILES);
          else {
            batch = queue.jobs.slice(next, next + BATCH_FILES);
            next += batch.length;
          }
          if (batch.length === 0) {
            if (queue.done && inflight.length === 0) {
              idle.add(worker);
              if (allIdle()) finish(); // stops every worker
            } else if (!queue.done && !waiting) {
              waiting = true;
              queue.wait(feed);
            }
            return;
          }
          inflight.push({ seq: ++seq, batch, pending: new Set(batch) });
          worker.postMessage({ type: 'batch', seq, jobs: batch } satisfies WorkerRequest);
        }
      };
      const watchdog = (): void => {
        const started = Atomics.load(progress, 0);
        const now = performance.now();
        // Time spent before a batch's first file (a worker still loading its code) does not count.
        const current = inflight.find((b) => b.seq === Atomics.load(progress, 2));
        if (started !== seen || !current || current.pending.size === 0) {
          seen = started;
          since = now;
          return;
        }
        if (fileTimeoutMs <= 0 || now - since < fileTimeoutMs) return;
        const stuck = current.batch[Atomics.load(progress, 1)];
        if (!stuck || !current.pending.has(stuck)) return;
        // Give up on this file only; the rest of its batches goes to the next free worker.
        timedOut = true;
        current.pending.delete(stuck);
        accept(stuck, { kind: 'skipped', reason: `timed out (analysis took over ${describeMs(fileTimeoutMs)})`, bytes: 0 });
        for (const b of inflight.splice(0)) requeued.push(...b.pending.values());
        void worker.terminate();
      };
      watchdogs.add(watchdog);
      worker.on('message', (reply: WorkerReply) => {
        if (finished) return;
        delivered = true;
        const done = inflight[0]?.seq === reply.seq ? inflight.shift()! : undefined;
        if (done) {
          let full = 0;
          reply.clean.forEach((bytes, index) => {
            const job = done.batch[index];
            if (!job || !done.pending.delete(job)) return;
            accept(job, bytes >= 0 ? cleanResult(bytes) : reply.results[full++]!);
          });
        }
        feed();
      });
      worker.on('error', () => {
        // Handled on 'exit': the unfinished batch is retried in-process.
      });
      worker.on('exit', () => {
        exited = true;
        idle.delete(worker);
        workers.delete(worker);
        watchdogs.delete(watchdog);
        live--;
        if (finished) return;
        for (const b of inflight.splice(0)) retry.push(...b.pending.values());
        if (!delivered && !timedOut) failedStarts++;
        // Keep the pool at strength unless workers cannot even start; then the caller finishes in-process.
        if (failedStarts <= threads && workLeft()) start();
        else if (live === 0 || allIdle()) finish();
      });
      void online.then(feed);
    };
    for (let i = 0; i < threads; i++) start();
  });
}
