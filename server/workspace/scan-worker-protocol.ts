/** Messages between the tree scanner and its worker threads (plain data: structured-clone safe). */
import type { EngineConfig } from '../engine/index.js';
import type { ScannedFile, SkippedFile } from './scan-file.js';

/** Given to each worker at start (`workerData`). */
export interface WorkerSetup {
  readonly engine: EngineConfig;
  readonly maxFileBytes: number;
}

/** Main → worker: scan these files (the worker reads them itself). */
export interface WorkerRequest {
  readonly jobs: readonly { readonly path: string; readonly relPath: string }[];
}

/** Worker → main: one file's result, or the end of a batch (time to send the next). */
export type WorkerReply =
  | { readonly type: 'file'; readonly path: string; readonly result: ScannedFile | SkippedFile }
  | { readonly type: 'batch-done' };
