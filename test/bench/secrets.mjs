// Throughput of the secrets family alone on real JavaScript (node_modules/typescript/lib/*.js), one core.
// Run: node --import tsx test/bench/secrets.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/engine/index.js';

const root = new URL('../..', import.meta.url).pathname;
const dir = join(root, 'node_modules/typescript/lib');
const files = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => ({ path: `lib/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
const config = { only: ['secret'] };

// CPU time as well as wall time: the machine is shared, and CPU time is what one core actually spent.
function pass() {
  let findings = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const f of files) findings += analyze(f.text, { path: f.path, config }).findings.length;
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, findings };
}

pass(); // warm-up
const runs = [pass(), pass(), pass(), pass(), pass()];
const best = Math.min(...runs.map((r) => r.ms));
const bestCpu = Math.min(...runs.map((r) => r.cpuMs));
const mbs = (ms) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
console.log(`secrets family on ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB of JavaScript (best of 5): ` +
  `${best.toFixed(0)} ms wall = ${mbs(best)} MB/s; ${bestCpu.toFixed(0)} ms CPU = ${mbs(bestCpu)} MB/s per core; ${runs[0].findings} findings`);

// Pathological shapes: one 5 MB line and a 50 MB minified-looking file.
const line = 'x'.repeat(1000) + ('a=1;token:"' + 'Ab3'.repeat(30) + '";').repeat(50_000);
let t0 = performance.now();
analyze(line.slice(0, 5_000_000), { path: 'one-line.js', config });
console.log(`5 MB single line: ${(performance.now() - t0).toFixed(0)} ms`);
const minified = files[0].text.replace(/\n\s*/g, '');
let big = minified;
while (big.length < 50_000_000) big += minified;
t0 = performance.now();
analyze(big, { path: 'bundle.min.js', config });
console.log(`${(big.length / 1e6).toFixed(0)} MB minified file: ${(performance.now() - t0).toFixed(0)} ms`);
