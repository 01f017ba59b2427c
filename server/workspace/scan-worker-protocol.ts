/** Messages between the tree scanner and its worker threads (plain data: structured-clone safe). */
import type { EngineConfig } from '../engine/index.js';
import type { ScannedFile, SkippedFile } from './scan-file.js';

/** Given to each worker at start (`workerData`): workers may start before the scan's settings are known. */
export interface WorkerBoot {
  /**
   * Three Int32 slots the worker updates before each file, without messages: [0] counts files started,
   * [1] is the index of the current file within its batch, [2] the batch's sequence number. The pool's
   * watchdog reads them to find a file that is taking too long.
   */
  readonly progress: SharedArrayBuffer;
}

/** Main → worker, first message: the scan's settings. */
export interface WorkerSetup {
  readonly type: 'setup';
  readonly engine: EngineConfig;
  readonly maxFileBytes: number;
}

/** Main → worker: scan these files (the worker reads them itself). */
export interface WorkerRequest {
  readonly type: 'batch';
  /** Batch number, echoed in the reply. */
  readonly seq: number;
  readonly jobs: readonly { readonly path: string; readonly relPath: string }[];
}

/**
 * Worker → main: the results of a whole batch (time to send the next), by index in the batch. A file with
 * nothing to report (most of them) is only its size in `clean`; structured cloning thousands of empty result
 * objects was a visible share of a scan.
 */
export interface WorkerReply {
  readonly type: 'batch';
  readonly seq: number;
  /** Per job: its size when it was scanned and has nothing to report, else -1. */
  readonly clean: readonly number[];
  /** The results of the jobs marked -1 in `clean`, in job order. */
  readonly results: readonly (ScannedFile | SkippedFile)[];
}

/** Whether a result needs to travel whole. */
export function isClean(result: ScannedFile | SkippedFile): result is ScannedFile {
  return result.kind === 'scanned' && result.findings.length === 0 && result.notes.length === 0;
}
