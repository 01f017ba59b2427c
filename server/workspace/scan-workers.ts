/**
 * Starting the tree scanner's worker threads, and starting them early. A worker spends 100–150 ms loading its
 * code before it can scan; the CLI calls `prestartScanWorkers` as soon as it knows it will walk a directory,
 * so that start-up overlaps its own (loading its modules and the project config, walking the first
 * directories). `scanTree` takes prestarted workers when they match its settings and starts the rest itself;
 * the ones it does not need are stopped.
 *
 * This module is small on purpose: the CLI loads it before anything heavy.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerBoot } from './scan-worker-protocol.js';

/** Default old-generation heap cap of a worker, in MiB. */
export const DEFAULT_WORKER_HEAP_MB = 128;

/** How to start a worker: the bundled script, the .ts source under tsx, or undefined (scan in-process). */
export interface WorkerScript {
  readonly url: URL;
  readonly eval?: string;
}

/** A worker thread with its progress slots (see WorkerBoot). */
export interface ScanWorker {
  readonly worker: Worker;
  readonly progress: Int32Array;
  readonly heapMb: number;
  /** Resolves once the thread runs (its code may still be loading). */
  readonly online: Promise<void>;
}

let cachedScript: WorkerScript | null | undefined;

/** The worker script next to this module (`dist/scan-worker.cjs` in the bundle), else the .ts under tsx. */
export function workerScript(): WorkerScript | undefined {
  if (cachedScript !== undefined) return cachedScript ?? undefined;
  cachedScript = null;
  const js = new URL('./scan-worker.cjs', import.meta.url);
  if (existsSync(fileURLToPath(js))) cachedScript = { url: js };
  else {
    const ts = new URL('./scan-worker.ts', import.meta.url);
    if (existsSync(fileURLToPath(ts))) {
      // From source (unit tests under tsx): register tsx's loader inside the thread, then load the .ts worker.
      try {
        const api = import.meta.resolve('tsx/esm/api');
        cachedScript = { url: ts, eval: `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(ts.href)});` };
      } catch {
        // no tsx: scans run in-process
      }
    }
  }
  return cachedScript ?? undefined;
}

/**
 * Start one worker. A capped heap makes V8 collect garbage sooner (peak memory 480 → 300 MB on the benchmark
 * corpus); a file that needs more kills only its worker, and that batch is retried in-process.
 */
export function startScanWorker(script: WorkerScript, heapMb: number): ScanWorker {
  const boot: WorkerBoot = { progress: new SharedArrayBuffer(12) };
  const limits = heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 } } : {};
  const worker = script.eval !== undefined
    ? new Worker(new URL(`data:text/javascript,${encodeURIComponent(script.eval)}`), { workerData: boot, ...limits })
    : new Worker(script.url, { workerData: boot, ...limits });
  const online = new Promise<void>((resolve) => {
    worker.once('online', resolve);
    worker.once('exit', () => resolve());
  });
  // Until a pool takes it, an error is seen on 'exit' by whoever owns it then; it must not go unhandled.
  worker.on('error', () => undefined);
  return { worker, progress: new Int32Array(boot.progress), heapMb, online };
}

const prestarted: ScanWorker[] = [];

/** Start `count` workers (default one per core) ahead of a scan; they do not keep the process alive. */
export function prestartScanWorkers(count = availableParallelism()): void {
  const script = workerScript();
  if (!script) return;
  for (let i = prestarted.length; i < count; i++) {
    const started = startScanWorker(script, DEFAULT_WORKER_HEAP_MB);
    started.worker.unref();
    started.worker.once('exit', () => {
      const at = prestarted.indexOf(started);
      if (at >= 0) prestarted.splice(at, 1);
    });
    prestarted.push(started);
  }
}

/** A prestarted worker with this heap cap, now owned by the caller; or undefined. */
export function takePrestartedWorker(heapMb: number): ScanWorker | undefined {
  const at = prestarted.findIndex((w) => w.heapMb === heapMb);
  if (at < 0) return undefined;
  const [taken] = prestarted.splice(at, 1);
  taken!.worker.ref();
  return taken;
}

/** Stop the prestarted workers nobody took. */
export function stopPrestartedWorkers(): void {
  for (const w of prestarted.splice(0)) void w.worker.terminate();
}

/** Prestarted workers not yet taken (for tests and diagnostics). */
export function prestartedWorkerCount(): number {
  return prestarted.length;
}
