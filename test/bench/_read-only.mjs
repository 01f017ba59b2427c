// A reference for throughput.bench.mjs: what merely reading a tree costs on this machine, from Node, with
// no scanning at all. The main thread walks the tree (synchronously), then one worker thread per core opens
// and reads its share of the files into a reused buffer, as the scanner's workers do. Prints one JSON line:
// {files, bytes}. Run as `node _read-only.mjs DIR`; the caller times the whole process.
import { closeSync, constants, openSync, readdirSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (isMainThread) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(process.argv[2]);
  const threads = availableParallelism();
  const totals = await Promise.all(Array.from({ length: threads }, (_, t) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: files.filter((_, i) => i % threads === t) });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  process.stdout.write(`${JSON.stringify({ files: files.length, bytes: totals.reduce((a, b) => a + b, 0) })}\n`);
} else {
  const buffer = Buffer.allocUnsafe(16 * 1024 * 1024);
  let bytes = 0;
  for (const path of workerData) {
    const fd = openSync(path, constants.O_RDONLY);
    // As the scanner reads: until read(2) returns nothing.
    for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) bytes += n;
    closeSync(fd);
  }
  parentPort.postMessage(bytes);
}
