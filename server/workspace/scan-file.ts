/**
 * Reading and scanning one file from disk. Shared by the in-process path and the worker threads, so both
 * apply the same size cap, binary sniff and decoding rules.
 *
 * - Files over the size cap (default 8 MiB) are skipped, with the cap named in the reason.
 * - A NUL byte in the first 8 KiB marks a binary file: skipped.
 * - Invalid UTF-8 is decoded with replacement characters and scanned anyway, with an `encoding` note:
 *   a Latin-1 config file can still hold an ASCII secret.
 * - A file that vanishes or becomes unreadable between the walk and the read is skipped with the reason.
 * - An exception from a rule family becomes a note on that file instead of ending the scan.
 */
import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { analyze, CancelledError, LineIndex, screenBytes, type Cancel, type EngineConfig, type Finding, type ScanNote } from '../engine/index.js';
import { describeFsError } from './fs-errors.js';
import { useTriggerTables } from './trigger-tables.js';

/** Default size cap for scanned files. */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

const SNIFF_BYTES = 8 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Where a finding is, as people and CI read it: 1-based lines and columns, columns in UTF-16 code units,
 * `endColumn` just past the last character (as SARIF defines it).
 */
export interface FindingLocation {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One scanned file: findings plus notes about anything that was not fully analysed. */
export interface ScannedFile {
  readonly kind: 'scanned';
  readonly findings: readonly Finding[];
  /** `locations[i]` is where `findings[i]` is. */
  readonly locations: readonly FindingLocation[];
  readonly notes: readonly ScanNote[];
  readonly bytes: number;
}

/** A file that was not scanned, and why. */
export interface SkippedFile {
  readonly kind: 'skipped';
  readonly reason: string;
  readonly bytes: number;
}

/** Shared by every clean result: a large scan has tens of thousands, and the main thread keeps them all. */
const NOTHING: readonly never[] = Object.freeze([]);

/** The result of a file scanned with nothing to report. */
export function cleanResult(bytes: number): ScannedFile {
  return { kind: 'scanned', findings: NOTHING, locations: NOTHING, notes: NOTHING, bytes };
}

/** Format a byte count for people (`8 MiB`, `1.5 MiB`, `900 KiB`). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} B`;
}

/** Read a file within the size cap; the cap is checked on the open handle so a growing file cannot blow it. */
async function readCapped(path: string, maxBytes: number): Promise<Buffer | SkippedFile> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not wait for a writer
  } catch (err) {
    return { kind: 'skipped', reason: describeFsError(err), bytes: 0 };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'skipped', reason: 'not a regular file', bytes: 0 };
    if (info.size > maxBytes) {
      return { kind: 'skipped', reason: `too large (${formatBytes(info.size)}, cap ${formatBytes(maxBytes)})`, bytes: info.size };
    }
    const buffer = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < info.size) {
      const { bytesRead } = await handle.read(buffer, filled, info.size - filled, filled);
      if (bytesRead === 0) break; // truncated while we read: scan what is there
      filled += bytesRead;
    }
    return filled === info.size ? buffer : buffer.subarray(0, filled);
  } catch (err) {
    return { kind: 'skipped', reason: describeFsError(err), bytes: 0 };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Largest reusable read buffer a thread keeps (larger files, under a raised cap, get a buffer of their own). */
const SCRATCH_MAX = 16 * 1024 * 1024;
let scratch: Buffer = Buffer.alloc(0);

/**
 * The same as `readCapped`, blocking, into the thread's reusable buffer (valid until the next call): for
 * worker threads, which have nothing else to do while they wait and where synchronous reads avoid a round
 * trip through libuv's small shared thread pool for every file.
 *
 * The buffer is reused for every file (decoding copies the text out; a fresh buffer per file left native
 * memory fragmented across threads). It is allocated once at the cap plus one byte (up to 16 MiB), so no
 * file is ever copied into a grown buffer: the memory is reserved, and the kernel only backs the pages the
 * largest file so far has touched (growing it step by step cost ~100 ms per thread in copies and page faults
 * on the benchmark tree). A file is read until read(2) returns nothing: stopping at the first short read
 * would save a call per file, but some file systems (FUSE, network mounts) return short reads before the end.
 * `fstat` is not needed (it cost a system call and a Stats object with four Dates per file). The file is
 * opened non-blocking, so a FIFO swapped in after the walk fails instead of waiting for a writer.
 */
function readCappedSync(path: string, maxBytes: number): Buffer | SkippedFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { kind: 'skipped', reason: describeFsError(err), bytes: 0 };
  }
  try {
    if (scratch.length <= maxBytes && scratch.length < SCRATCH_MAX) scratch = Buffer.allocUnsafe(Math.min(maxBytes + 1, SCRATCH_MAX));
    let buffer = scratch;
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) break;
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
        if (grown.length <= SCRATCH_MAX) scratch = grown; // kept for the next files
      }
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    // A FIFO without a writer reads as empty: only then is it worth asking what the path is.
    if (filled === 0 && !fstatSync(fd).isFile()) return { kind: 'skipped', reason: 'not a regular file', bytes: 0 };
    if (filled > maxBytes) {
      const size = Math.max(fstatSync(fd).size, filled);
      return { kind: 'skipped', reason: `too large (${formatBytes(size)}, cap ${formatBytes(maxBytes)})`, bytes: size };
    }
    return buffer.subarray(0, filled);
  } catch (err) {
    return { kind: 'skipped', reason: describeFsError(err), bytes: 0 };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing useful to do: the data (or the error) is already in hand
    }
  }
}

/** Decode valid or invalid UTF-8 (the latter with replacement characters and a note). */
function decodeText(buffer: Uint8Array, validUtf8: boolean, ascii: boolean): { text: string; notes: ScanNote[] } {
  if (!validUtf8) {
    return { text: decoder.decode(buffer), notes: [{ kind: 'encoding', message: 'not valid UTF-8; invalid bytes were replaced with U+FFFD and the rest scanned' }] };
  }
  // ASCII (most source) reads as Latin-1 to the same string, two to three times faster than UTF-8 decoding.
  const text = ascii ? Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length).toString('latin1') : decoder.decode(buffer);
  return { text, notes: [] };
}

/** 1-based locations of findings in a text (computed where the text is, so it never has to travel). */
export function locate(text: string, findings: readonly Finding[], index?: LineIndex): FindingLocation[] {
  if (findings.length === 0) return [];
  const lines = index ?? new LineIndex(text);
  return findings.map((f) => {
    const start = lines.positionAt(f.start);
    const end = lines.positionAt(Math.max(f.end, f.start));
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  });
}

/**
 * Scan text already in memory (e.g. a staged blob) with the same safety net as files on disk. The engine
 * screens the bytes first: a file no rule family could report on is never decoded.
 */
export function scanBuffer(buffer: Uint8Array, relPath: string, engine: EngineConfig, cancel?: Cancel): ScannedFile | SkippedFile {
  // The prebuilt automata, installed on the first file this thread scans (a thread that only walks and
  // collects, like the CLI's main thread in a large scan, never spends the ~20 ms).
  useTriggerTables();
  if (buffer.subarray(0, SNIFF_BYTES).includes(0)) return { kind: 'skipped', reason: 'binary', bytes: buffer.length };
  // Both checks run natively at many GB/s; most source is ASCII, which is valid UTF-8 too.
  const ascii = isAscii(buffer);
  const validUtf8 = ascii || isUtf8(buffer);
  // Decoded at most once: by a screen that needs the text, else for analysis.
  let decoded: { text: string; notes: ScanNote[] } | undefined;
  const decode = (): { text: string; notes: ScanNote[] } => (decoded ??= decodeText(buffer, validUtf8, ascii));
  const families = validUtf8 ? screenBytes(buffer, { path: relPath, config: engine }, { ascii, text: () => decode().text }) : undefined;
  if (families?.length === 0) return cleanResult(buffer.length);
  const { text, notes: decodeNotes } = decode();
  try {
    const result = analyze(text, { path: relPath, config: engine, ...(families ? { families } : {}) }, cancel);
    return {
      kind: 'scanned',
      findings: result.findings,
      locations: locate(text, result.findings, result.lines),
      notes: [...decodeNotes, ...result.notes],
      bytes: buffer.length,
    };
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    // A bug in one rule family must not end a scan of thousands of files.
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'scanned', findings: [], locations: [], notes: [...decodeNotes, { kind: 'parse-error', message: `analysis failed: ${message}` }], bytes: buffer.length };
  }
}

/** Read and scan one file, blocking (worker threads). */
export function scanFileSync(path: string, relPath: string, engine: EngineConfig, maxBytes: number): ScannedFile | SkippedFile {
  const read = readCappedSync(path, maxBytes);
  if (!Buffer.isBuffer(read)) return read;
  return scanBuffer(read, relPath, engine);
}

/** Read and scan one file. */
export async function scanFile(path: string, relPath: string, engine: EngineConfig, maxBytes: number, cancel?: Cancel): Promise<ScannedFile | SkippedFile> {
  const read = await readCapped(path, maxBytes);
  if (!Buffer.isBuffer(read)) return read;
  return scanBuffer(read, relPath, engine, cancel);
}
