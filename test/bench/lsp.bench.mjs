// Language-server figures (issue 3), measured against the real bundle over stdio: `npm run build` first.
//   1. start-up: spawn → `initialize` response (target < 300 ms)
//   2. didChange → engine result for a 2,000-line file, with no debounce in the way (target < 20 ms of work)
//   3. server memory with 1,000 open documents (target < 200 MB)
// Prints one line per figure; exits non-zero only if the server cannot be driven at all.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/shippi.js', import.meta.url));
if (!existsSync(CLI)) {
  console.error('lsp bench: dist/shippi.js is missing; run `npm run build` first');
  process.exit(2);
}

/** A bare JSON-RPC client over the server's stdio. */
function startServer(env = {}) {
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const waiting = new Map();
  const listeners = new Set();
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
      buffer = buffer.subarray(end + 4 + length);
      if (message.id !== undefined && message.method) send({ jsonrpc: '2.0', id: message.id, result: null });
      else if (message.id !== undefined) waiting.get(message.id)?.(message);
      else for (const l of listeners) l(message);
    }
  });
  const send = (m) => {
    const body = Buffer.from(JSON.stringify(m));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  return {
    child,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 60_000);
        waiting.set(id, (m) => { clearTimeout(timer); waiting.delete(id); resolve(m); });
        send({ jsonrpc: '2.0', id, method, params });
      });
    },
    notify: (method, params) => send({ jsonrpc: '2.0', method, params }),
    onNotification: (fn) => listeners.add(fn),
    async stop() {
      await this.request('shutdown');
      send({ jsonrpc: '2.0', method: 'exit' });
      await new Promise((r) => child.on('exit', r));
    },
  };
}

const initParams = (extra = {}) => ({
  processId: process.pid, rootUri: null,
  capabilities: { textDocument: { diagnostic: {} }, workspace: { workspaceEdit: { documentChanges: true } } },
  ...extra,
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const rssMb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
};

/** A realistic JS source line mix, with a few hidden-Unicode findings, `lines` long. */
function sourceFile(lines, seed = 0) {
  const shapes = [
    (i) => `export function handler${i}(req, res) {`,
    (i) => `  const user${i} = await db.query("SELECT * FROM users WHERE id = $1", [req.params.id]);`,
    (i) => `  if (!user${i}) return res.status(404).json({ error: 'not found' });`,
    (i) => `  const token = process.env.API_TOKEN_${i} ?? '';`,
    (i) => `  logger.info(\`handled \${req.method} \${req.url} in \${Date.now() - started}ms\`, { id: ${i} });`,
    (i) => `  return res.json({ ok: true, items: user${i}.items.map((x) => ({ ...x, seen: true })) });`,
    () => '}',
    () => '',
  ];
  const out = [];
  for (let i = 0; i < lines; i++) out.push(shapes[(i + seed) % shapes.length](i));
  out[Math.floor(lines / 3)] += ' // \u202E reversed';
  out[Math.floor((2 * lines) / 3)] = 'const is\u0410dmin = false;';
  return `${out.join('\n')}\n`;
}

// Timings on a shared machine mean little without its load; print it with the figures.
console.log(`lsp bench: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// 1. Start-up to the initialize response.
// Wall time suffers on a loaded machine; the server's CPU time until then (from /proc, 10 ms ticks) does not.
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
};
const startups = [];
const startupCpu = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const server = startServer();
  await server.request('initialize', initParams());
  startups.push(performance.now() - started);
  startupCpu.push(cpuMs(server.child.pid));
  await server.stop();
}
console.log(`lsp startup→initialize: median ${median(startups).toFixed(0)} ms wall, max ${Math.max(...startups).toFixed(0)} ms over ${startups.length} starts; server CPU by then median ${median(startupCpu)} ms (may include the engine, which starts loading right after the response) (target < 300 ms)`);

// 2. didChange → engine result for a 2,000-line file. Pull diagnostics answer right away (no debounce in the
// way); with SHIPPI_DEBUG the server logs how long each analysis took, which is the work figure.
{
  const server = startServer({ SHIPPI_DEBUG: '1' });
  const analysed = [];
  server.onNotification((m) => {
    const hit = m.method === 'window/logMessage' && /^analysed \S+ v(\d+) in ([\d.]+) ms/.exec(m.params.message);
    if (hit) analysed.push({ version: Number(hit[1]), ms: Number(hit[2]) });
  });
  await server.request('initialize', initParams());
  server.notify('initialized', {});
  const uri = 'file:///bench/handler.js';
  const text = sourceFile(2000);
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
  await server.request('textDocument/diagnostic', { textDocument: { uri } });
  const WARMUP = 40; // a fresh process runs the engine cold (JIT); an editing session is long-lived
  const trips = [];
  let findings = 0;
  for (let v = 2; v < 2 + WARMUP + 100; v++) {
    const started = performance.now();
    server.notify('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: `// edit ${v}\n` }],
    });
    const r = await server.request('textDocument/diagnostic', { textDocument: { uri } });
    if (v >= 2 + WARMUP) trips.push(performance.now() - started);
    findings = r.result.items.length;
  }
  const work = analysed.filter((a) => a.version >= 2 + WARMUP).map((a) => a.ms);
  console.log(`lsp didChange→result (2,000 lines, ${(text.length / 1024).toFixed(0)} KiB, ${findings} findings): analysis median ${median(work).toFixed(1)} ms, p95 ${p95(work).toFixed(1)} ms; round trip incl. IPC median ${median(trips).toFixed(1)} ms over ${trips.length} edits after ${WARMUP} warm-up edits (target < 20 ms of work)`);
  await server.stop();
}

// 3. Memory with 1,000 open documents (each ~200 lines), after every document has been analysed.
{
  const server = startServer();
  await server.request('initialize', initParams({ capabilities: {} }));
  server.notify('initialized', {});
  const before = rssMb(server.child.pid);
  const pending = new Set();
  const done = new Promise((resolve) => {
    server.onNotification((m) => {
      if (m.method === 'textDocument/publishDiagnostics' && pending.delete(m.params.uri) && pending.size === 0) resolve();
    });
  });
  let bytes = 0;
  for (let i = 0; i < 1000; i++) {
    const uri = `file:///bench/doc${i}.js`;
    const text = sourceFile(200, i);
    bytes += text.length;
    pending.add(uri);
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
  }
  await done;
  const after = rssMb(server.child.pid);
  console.log(`lsp memory, 1,000 open documents (${(bytes / 1048576).toFixed(1)} MiB of text): ${after.toFixed(0)} MB RSS (idle server ${before.toFixed(0)} MB) (target < 200 MB)`);
  await server.stop();
}
