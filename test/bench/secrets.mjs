// Throughput of the secrets family alone, one core, on real code:
//  1. node_modules/typescript/lib/*.js (the brief's sample), 2. every .js/.mjs/.cjs/.ts file under node_modules.
// Prints wall and CPU time (the machine is shared; CPU time is what one core spent), then the time taken by
// pathological inputs: a 5 MB single line, a 50 MB minified file and lines of repeated token prefixes.
// Run: node --import tsx test/bench/secrets.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/engine/index.js';

const root = new URL('../..', import.meta.url).pathname;
const config = { only: ['secret'] };

function load(paths) {
  return paths.map((p) => ({ path: p.slice(root.length), text: readFileSync(p, 'utf8') }));
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, out);
    else if (/\.(?:[cm]?js|ts)$/.test(name) && st.size < 8e6) out.push(path);
  }
  return out;
}

function measure(label, files) {
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  const pass = () => {
    let findings = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const f of files) findings += analyze(f.text, { path: f.path, config }).findings.length;
    const cpu = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, findings };
  };
  pass(); // warm-up
  const runs = [pass(), pass(), pass(), pass(), pass()];
  const best = Math.min(...runs.map((r) => r.ms));
  const bestCpu = Math.min(...runs.map((r) => r.cpuMs));
  const mbs = (ms) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
  console.log(`${label}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, best of 5: ` +
    `${best.toFixed(0)} ms wall = ${mbs(best)} MB/s; ${bestCpu.toFixed(0)} ms CPU = ${mbs(bestCpu)} MB/s per core; ${runs[0].findings} findings`);
}

const tsDir = join(root, 'node_modules/typescript/lib');
const tsFiles = load(readdirSync(tsDir).filter((f) => f.endsWith('.js')).map((f) => join(tsDir, f)));
measure('typescript/lib/*.js', tsFiles);
measure('node_modules/**/*.{js,mjs,cjs,ts}', load(walk(join(root, 'node_modules'))));

function time(label, text, path = 'bundle.min.js') {
  const t0 = performance.now();
  const result = analyze(text, { path, config });
  console.log(`${label}: ${(text.length / 1e6).toFixed(1)} MB in ${(performance.now() - t0).toFixed(0)} ms, ${result.findings.length} findings`);
}

const minified = tsFiles[0].text.replace(/\n\s*/g, '');
time('5 MB single line of minified JavaScript', minified.slice(0, 5_000_000));
let big = minified;
while (big.length < 50_000_000) big += minified;
time('50 MB minified file', big.slice(0, 50_000_000));
for (const unit of ['eyJ-', 'glpat-', '-----BEGIN PRIVATE KEY-----', 'https://a:b', 'token: a']) {
  time(`5 MB line of ${JSON.stringify(unit)} repeated`, unit.repeat(Math.ceil(5_000_000 / unit.length)), 'x.env');
}
