/**
 * Worker thread of the tree scanner: receives the scan's settings, then batches of paths; reads and scans each
 * file itself, and posts the batch's results back in one message. Bundled as `dist/scan-worker.cjs`: one
 * CommonJS file (with the engine in it), which a thread starts about 15 ms sooner than the ES module graph.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanFileSync, type ScannedFile, type SkippedFile } from './scan-file.js';
import { useTriggerTables } from './trigger-tables.js';
import { isClean, type WorkerBoot, type WorkerReply, type WorkerRequest, type WorkerSetup } from './scan-worker-protocol.js';

useTriggerTables();
const port = parentPort;
const progress = new Int32Array((workerData as WorkerBoot).progress);
let setup: WorkerSetup | undefined;

if (port) {
  port.on('message', (message: WorkerSetup | WorkerRequest) => {
    if (message.type === 'setup') {
      setup = message;
      return;
    }
    if (!setup) throw new Error('scan worker: a batch arrived before the settings');
    const { engine, maxFileBytes } = setup;
    // Results go back in one message per batch (a batch is a few milliseconds of work), not one per file:
    // with thousands of small files, per-message overhead was a visible share of the scan.
    Atomics.store(progress, 2, message.seq);
    const clean: number[] = [];
    const results: (ScannedFile | SkippedFile)[] = [];
    message.jobs.forEach((job, index) => {
      Atomics.store(progress, 1, index);
      Atomics.add(progress, 0, 1);
      const result = scanFileSync(job.path, job.relPath, engine, maxFileBytes);
      if (isClean(result)) clean.push(result.bytes);
      else {
        clean.push(-1);
        results.push(result);
      }
    });
    port.postMessage({ type: 'batch', seq: message.seq, clean, results } satisfies WorkerReply);
  });
}
