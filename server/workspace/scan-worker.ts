/**
 * Worker thread of the tree scanner: receives batches of paths, reads and scans each file, and posts each
 * result back as soon as it is ready. Bundled as `dist/scan-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanFileSync } from './scan-file.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './scan-worker-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort;

if (port) {
  port.on('message', (request: WorkerRequest) => {
    for (const job of request.jobs) {
      const result = scanFileSync(job.path, job.relPath, setup.engine, setup.maxFileBytes);
      port.postMessage({ type: 'file', path: job.path, result } satisfies WorkerReply);
    }
    port.postMessage({ type: 'batch-done' } satisfies WorkerReply);
  });
}
