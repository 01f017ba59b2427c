/** Messages between the tree scanner and its worker threads (plain data: structured-clone safe). */
import type { EngineConfig } from '../engine/index.js';
import type { ScannedFile, SkippedFile } from './scan-file.js';

/** Given to each worker at start (`workerData`). */
export interface WorkerSetup {
  readonly engine: EngineConfig;
  readonly maxFileBytes: number;
  /**
   * Three Int32 slots the worker updates before each file, without messages: [0] counts files started,
   * [1] is the index of the current file within its batch, [2] the batch's sequence number. The pool's
   * watchdog reads them to find a file that is taking too long.
   */
  readonly progress: SharedArrayBuffer;
}

/** Main → worker: scan these files (the worker reads them itself). */
export interface WorkerRequest {
  /** Batch number, echoed in the reply. */
  readonly seq: number;
  readonly jobs: readonly { readonly path: string; readonly relPath: string }[];
}

/** Worker → main: the results of a whole batch (time to send the next). */
export interface WorkerReply {
  readonly type: 'batch';
  readonly seq: number;
  readonly results: readonly WorkerResult[];
}

/**
 * One file's result. A file with nothing to report (most of them) travels as its size alone: structured
 * cloning thousands of empty result objects was a visible share of a scan.
 */
export type WorkerResult =
  | { readonly path: string; readonly result: ScannedFile | SkippedFile }
  | { readonly path: string; readonly cleanBytes: number };

/** The compact form of a result, for the message. */
export function toWorkerResult(path: string, result: ScannedFile | SkippedFile): WorkerResult {
  return result.kind === 'scanned' && result.findings.length === 0 && result.notes.length === 0 ? { path, cleanBytes: result.bytes } : { path, result };
}

/** The full result again, on the receiving side. */
export function fromWorkerResult(r: WorkerResult): ScannedFile | SkippedFile {
  return 'result' in r ? r.result : { kind: 'scanned', findings: [], locations: [], notes: [], bytes: r.cleanBytes };
}
