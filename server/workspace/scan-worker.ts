/**
 * Worker thread of the tree scanner: receives batches of paths, reads and scans each file itself, and posts the
 * batch's results back in one message. Bundled as `dist/scan-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanFileSync } from './scan-file.js';
import { toWorkerResult, type WorkerReply, type WorkerRequest, type WorkerSetup } from './scan-worker-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
const progress = new Int32Array(setup.progress);

if (port) {
  port.on('message', (request: WorkerRequest) => {
    // Results go back in one message per batch (a batch is a few milliseconds of work), not one per file:
    // with thousands of small files, per-message overhead was a visible share of the scan.
    Atomics.store(progress, 2, request.seq);
    const results = request.jobs.map((job, index) => {
      Atomics.store(progress, 1, index);
      Atomics.add(progress, 0, 1);
      return toWorkerResult(job.path, scanFileSync(job.path, job.relPath, setup.engine, setup.maxFileBytes));
    });
    port.postMessage({ type: 'batch', seq: request.seq, results } satisfies WorkerReply);
  });
}
