// `npm run bench`: runs every benchmark in test/bench (each *.mjs or *.ts file here except this runner and
// files starting with "_"), one process at a time so they do not compete for the machine's cores, under tsx
// so benches may import TypeScript sources. Each bench prints its own figures. `node test/bench/run.mjs NAME`
// runs only the benches whose file name contains NAME.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');
const filter = process.argv[2];
const benches = readdirSync(here)
  .filter((f) => /\.(mjs|ts)$/.test(f) && f !== 'run.mjs' && !f.startsWith('_') && !f.endsWith('.d.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (figures on a shared machine vary with load)`);
const failed = [];
for (const file of benches) {
  console.log(`\n== ${file}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) failed.push(file);
  console.log(`-- ${file}: ${r.status === 0 ? 'done' : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds} s`);
}
console.log(`\n${benches.length} benches, ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
