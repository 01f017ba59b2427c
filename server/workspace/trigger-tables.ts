/**
 * The trigger automata's prebuilt tables on disk. The build writes every family's complete automaton to
 * `dist/triggers.bin`; each thread that scans installs it at start-up instead of building automata itself
 * (construction and the lazy building of states cost each thread 100–200 ms of CPU, most of it the
 * optimising compiler at work on the construction code). Without the file (running from source) or with a
 * file written by other code (keys differ), automata are built lazily as before: same results, slower start.
 *
 * Format (little-endian): the magic `SHPTRG01`, a u32 header length, the header (JSON: per table its key,
 * initial state, class count, accepts), then per table 256 bytes of byte classes and rows × classes u16
 * target states.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { installTriggerTables, triggerAutomata, type TriggerTable } from '../engine/index.js';

const MAGIC = 'SHPTRG01';

interface Header {
  readonly key: string;
  readonly initial: number;
  readonly classes: number;
  readonly accepts: readonly (readonly number[])[];
}

/** Serialise tables. */
export function encodeTriggerTables(tables: readonly TriggerTable[]): Buffer {
  const header = Buffer.from(JSON.stringify(tables.map((t): Header => ({ key: t.key, initial: t.initial, classes: t.classes, accepts: t.accepts }))));
  const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1'), Buffer.alloc(4), header];
  parts[1]!.writeUInt32LE(header.length);
  let size = MAGIC.length + 4 + header.length;
  for (const t of tables) {
    if (size % 2 === 1) {
      parts.push(Buffer.alloc(1));
      size++;
    }
    const next = Buffer.alloc(t.next.length * 2);
    t.next.forEach((v, i) => next.writeUInt16LE(v, i * 2));
    parts.push(Buffer.from(t.byteClass), next);
    size += 256 + next.length;
  }
  return Buffer.concat(parts);
}

/** Read serialised tables; throws an Error naming what is wrong with the bytes. */
export function decodeTriggerTables(bytes: Buffer): TriggerTable[] {
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a trigger table file');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  let at = MAGIC.length + 4 + headerLength;
  if (at > bytes.length) throw new Error('trigger table file is truncated');
  const headers = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, at)) as Header[];
  // One aligned copy, so the u16 arrays can be views into it.
  const own = new Uint8Array(bytes.length);
  own.set(bytes);
  return headers.map((h) => {
    if (at % 2 === 1) at++;
    const rows = h.accepts.length;
    const size = 256 + rows * h.classes * 2;
    if (at + size > bytes.length) throw new Error('trigger table file is truncated');
    const byteClass = own.subarray(at, at + 256);
    const next = new Uint16Array(own.buffer, at + 256, rows * h.classes);
    at += size;
    return { key: h.key, initial: h.initial, classes: h.classes, accepts: h.accepts, byteClass, next };
  });
}

/** Build every family's automaton completely and write the tables to `path` (run by the build). */
export function writeTriggerTables(path: string): { tables: number; states: number; bytes: number } {
  const tables = triggerAutomata().map((a) => a.exportTable());
  const bytes = encodeTriggerTables(tables);
  writeFileSync(path, bytes);
  return { tables: tables.length, states: tables.reduce((n, t) => n + t.accepts.length, 0), bytes: bytes.length };
}

/**
 * Install the tables in `file`; true when installed. A missing (running from source), unreadable or damaged
 * file means automata are built lazily (set SHIPPI_DEBUG to see why).
 */
export function loadTriggerTables(file: URL): boolean {
  if (endianness() !== 'LE') return false;
  try {
    installTriggerTables(decodeTriggerTables(readFileSync(file)));
    return true;
  } catch (err) {
    if (process.env.SHIPPI_DEBUG) process.stderr.write(`shippi: trigger tables not used (automata are built as scans need them): ${(err as Error).message}\n`);
    return false;
  }
}

let used: boolean | undefined;

/** Install the tables saved next to this module (`dist/triggers.bin`), once per thread. */
export function useTriggerTables(): boolean {
  return (used ??= loadTriggerTables(new URL('./triggers.bin', import.meta.url)));
}
