// Micro-benchmark of the JS/TS SAST family: tokenizer MB/s, family MB/s over node_modules JavaScript, and one
// 10,000-line realistic file through the whole engine. Prints figures; asserts nothing.
// Run: node test/bench/js.mjs [MB of other node_modules JS, default 40]
// The engine is bundled with esbuild first, as `npm run build` ships it (tsx's on-the-fly transform is slower).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('../..', import.meta.url).pathname;
// Inside node_modules so the bundle's external dependencies resolve.
const tmp = mkdtempSync(join(root, 'node_modules', '.shippi-js-bench-'));
writeFileSync(join(tmp, 'entry.ts'), [
  `export { tokenize } from ${JSON.stringify(join(root, 'server/engine/rules/js/tokenizer.ts'))};`,
  `export { javascriptFamily } from ${JSON.stringify(join(root, 'server/engine/rules/js/index.ts'))};`,
  `export { analyze } from ${JSON.stringify(join(root, 'server/engine/index.ts'))};`,
].join('\n'));
await build({ entryPoints: [join(tmp, 'entry.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: join(tmp, 'engine.mjs'), logLevel: 'warning' });
const { tokenize, javascriptFamily, analyze } = await import(join(tmp, 'engine.mjs'));
rmSync(tmp, { recursive: true, force: true });
const never = { isCancellationRequested: false };

function jsFiles(dir, out, budget) {
  if (dir.includes('.shippi-js-bench-')) return;
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    if (out.bytes >= budget) return;
    const path = join(dir, name);
    let st;
    try { st = statSync(path); } catch { continue; }
    if (st.isDirectory()) jsFiles(path, out, budget);
    else if (/\.(?:js|mjs|cjs)$/.test(name) && st.size < 2 * 1024 * 1024) {
      const text = readFileSync(path, 'utf8');
      out.files.push({ path, text });
      out.bytes += text.length;
    }
  }
}

// CPU time, not wall time: the machine is shared, and CPU time is what the scan costs.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function mbps(bytes, ms) { return (bytes / 1048576 / (ms / 1000)).toFixed(1); }

const budget = Number(process.argv[2] ?? 40) * 1048576;
const corpus = { files: [], bytes: 0 };
const tsLib = join(root, 'node_modules/typescript/lib');
for (const name of readdirSync(tsLib).filter((n) => n.endsWith('.js'))) {
  const text = readFileSync(join(tsLib, name), 'utf8');
  corpus.files.push({ path: join(tsLib, name), text }); corpus.bytes += text.length;
}
const tsBytes = corpus.bytes;
jsFiles(join(root, 'node_modules'), corpus, tsBytes + budget);
console.log(`corpus: ${corpus.files.length} files, ${(corpus.bytes / 1048576).toFixed(1)} MB (typescript/lib ${(tsBytes / 1048576).toFixed(1)} MB)`);

// Calibration: how fast this machine runs a plain character loop right now (shared machines vary a lot).
{
  const sample = corpus.files[0].text;
  const c0 = cpuMs(); let sum = 0; for (let r = 0; r < 5; r++) for (let i = 0; i < sample.length; i++) sum += sample.charCodeAt(i);
  console.log(`calibration: charCodeAt loop ${mbps(sample.length * 5, cpuMs() - c0)} MB/s CPU (${sum & 1})`);
}

for (const f of corpus.files.slice(0, 30)) tokenize(f.text); // warm-up
let t0 = cpuMs();
let tokens = 0;
for (const f of corpus.files) tokens += tokenize(f.text).count;
let ms = cpuMs() - t0;
console.log(`tokenizer: ${mbps(corpus.bytes, ms)} MB/s (${tokens} tokens, ${ms.toFixed(0)} ms)`);

// Warm-up so the first measured pass is not also the JIT's.
for (const f of corpus.files.slice(0, 50)) javascriptFamily.run({ text: f.text, path: f.path, language: 'javascript', config: {} }, { finding() {}, note() {} }, never);

let findings = 0;
let skippedLarge = 0;
const report = { finding: () => findings++, note: () => skippedLarge++ };
for (const big of [false, true]) {
  findings = 0; skippedLarge = 0;
  const config = big ? { maxSastBytes: 64 * 1048576 } : {};
  t0 = cpuMs();
  for (const f of corpus.files) javascriptFamily.run({ text: f.text, path: f.path, language: 'javascript', config }, report, never);
  ms = cpuMs() - t0;
  console.log(`family (${big ? 'no size cap' : 'default 2 MiB cap'}): ${mbps(corpus.bytes, ms)} MB/s, ${findings} raw findings, ${skippedLarge} notes, ${ms.toFixed(0)} ms`);
}
let tsOnly = 0;
t0 = cpuMs();
for (const f of corpus.files.filter((x) => x.path.startsWith(tsLib))) { javascriptFamily.run({ text: f.text, path: f.path, language: 'javascript', config: { maxSastBytes: 64 * 1048576 } }, report, never); tsOnly += f.text.length; }
ms = cpuMs() - t0;
console.log(`family on typescript/lib/*.js: ${mbps(tsOnly, ms)} MB/s (${ms.toFixed(0)} ms)`);

// A 10,000-line realistic file: the labelled corpus files repeated.
const dir = join(root, 'test/corpus/js');
let sample = '';
try { for (const n of readdirSync(dir)) sample += readFileSync(join(dir, n), 'utf8') + '\n'; } catch { sample = 'const x = req.query.a;\nfs.readFile(x);\n'; }
let big = '';
while (big.split('\n').length < 10_000) big += sample;
big = big.split('\n').slice(0, 10_000).join('\n');
// Warm up on the same path as the measured runs: a .tsx path turns on JSX, and the first runs with it re-tune the JIT.
for (let i = 0; i < 5; i++) analyze(big, { path: 'big.tsx' });
const runs = [];
for (let i = 0; i < 21; i++) { t0 = cpuMs(); analyze(big, { path: 'big.tsx' }); runs.push(cpuMs() - t0); }
runs.sort((a, b) => a - b);
console.log(`10,000-line file (${(big.length / 1024).toFixed(0)} KiB) through analyze() (every family): median of 21 ${runs[10].toFixed(1)} ms, min ${runs[0].toFixed(1)} ms, max ${runs[20].toFixed(1)} ms`);
const own = [];
for (let i = 0; i < 10; i++) { t0 = cpuMs(); javascriptFamily.run({ text: big, path: 'big.tsx', language: 'typescript', config: {} }, { finding() {}, note() {} }, never); own.push(cpuMs() - t0); }
own.sort((a, b) => a - b);
console.log(`  of which the JS/TS family: median ${own[5].toFixed(1)} ms, min ${own[0].toFixed(1)} ms`);
