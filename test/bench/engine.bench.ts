// One 10,000-line file through the engine's scan(), all rules on: median of repeated runs, in-process, one core.
// Target (issue 2): under 50 ms. Two inputs: generated server-style TypeScript (request handling, SQL, crypto,
// strings and comments, so every rule family has work to do), and — when `npm run bench` has installed the
// benchmark corpus — the first 10,000 lines of a real file (react-dom's development build).
import { existsSync, readFileSync } from 'node:fs';
import { scan } from '../../server/engine/index.js';

const LINES = 10_000;

function generated(): string {
  const block = (i: number): string[] => [
    `// handler ${i}: loads a record and renders it`,
    `export async function handler${i}(req: Request, res: Response): Promise<void> {`,
    `  const id = req.query.id as string;`,
    `  const limit = Number(req.query.limit ?? ${i % 50});`,
    `  const rows = await db.query('SELECT * FROM items WHERE owner = $1 LIMIT $2', [id, limit]);`,
    `  const label = \`item \${rows.length} of \${limit}\`;`,
    `  const digest = crypto.createHash('sha256').update(String(rows.length)).digest('hex');`,
    `  if (rows.length === 0) { res.status(404).json({ error: 'not found', id }); return; }`,
    `  const config = { retries: 3, timeoutMs: ${1000 + i}, name: "service-${i}", tags: ['a', 'b'] };`,
    `  for (const row of rows) total += row.price * (1 + config.retries / 100);`,
    `  logger.info('rendered %s in %d ms', label, Date.now() - started, digest);`,
    `  res.json({ rows, label, config });`,
    `}`,
    ``,
  ];
  const lines: string[] = ['import crypto from "node:crypto";', 'let total = 0;', 'const started = Date.now();'];
  for (let i = 0; lines.length < LINES; i++) lines.push(...block(i));
  return lines.slice(0, LINES).join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function measure(name: string, text: string, path: string): void {
  for (let i = 0; i < 3; i++) scan(text, { path }); // warm-up: JIT and regex compilation
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    findings = scan(text, { path }).length;
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  console.log(`${name}: ${text.split('\n').length} lines, ${(text.length / 1e3).toFixed(0)} KB, median of 21: ${ms.toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}), ${findings} findings${ms < 50 ? '' : '  > 50 ms target'}`);
}

measure('generated TypeScript', generated(), 'src/handlers.ts');
const real = new URL('./.cache/node_modules/react-dom/cjs/react-dom.development.js', import.meta.url).pathname;
if (existsSync(real)) measure('react-dom.development.js (first 10k lines)', readFileSync(real, 'utf8').split('\n').slice(0, LINES).join('\n'), 'react-dom.development.js');
else console.log('real-file run skipped: run the throughput bench first to install the benchmark corpus');
