// Websocket task reads against a real daemon process (dist/shippi.js, real LevelDB, real audit log):
// 50 concurrent clients, each with its own token (per-token rate limits stay at their defaults), each doing
// task.get requests for random seeded tasks, in two phases:
//   saturated — each client sends its next read as soon as the last reply arrives (closed loop: measures the
//               daemon's read throughput; latency there is mostly queueing, 50 requests always in flight);
//   paced     — each client sends one read every PACE_MS (open loop, 50 × 1000/PACE_MS reads/s in total:
//               the latency an editor sees while 49 other clients are busy).
// Prints p50/p99/max and throughput. Target (issue 4): p99 < 5 ms. Run: `npm run build && node test/bench/ws.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const root = new URL('../../', import.meta.url).pathname;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const READS_PER_CLIENT = Number(process.env.BENCH_READS ?? 300); // under the default per-token burst (400)
const TASKS = 500;
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 25);
const PACED_SECONDS = 3;
const cli = join(root, 'dist/shippi.js');

if (!existsSync(cli)) {
  console.error('dist/shippi.js is missing: run `npm run build` first');
  process.exit(2);
}

const home = await mkdtemp(join(tmpdir(), 'shippi-wsbench-'));
const env = { ...process.env, SHIPPI_HOME: home, SHIPPI_PASSPHRASE: '', SHIPPI_TOKEN: '' };
const shippi = (...args) => spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });

function connect(port, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const pending = new Map();
    let next = 1;
    ws.on('message', (data) => {
      const reply = JSON.parse(data.toString());
      const done = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) done?.resolve(reply.result);
      else done?.reject(new Error(`${reply.error.code}: ${reply.error.message}`));
    });
    ws.once('open', () =>
      resolve({
        request: (msg) =>
          new Promise((res, rej) => {
            const id = next++;
            pending.set(id, { resolve: res, reject: rej });
            ws.send(JSON.stringify({ ...msg, id }));
          }),
        close: () => ws.close(),
      }),
    );
    ws.once('error', reject);
  });
}

/** The daemon's CPU time so far (user + system, ms) from /proc; undefined where /proc is missing. */
function daemonCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

try {
  const started = shippi('daemon', 'start', '--no-socket');
  if (started.status !== 0) throw new Error(`daemon start failed: ${started.stderr}`);
  const { port, pid } = JSON.parse(await readFile(join(home, 'daemon.json'), 'utf8'));
  const owner = await connect(port, (await readFile(join(home, 'owner.token'), 'utf8')).trim());
  const tokens = [];
  for (let i = 0; i < CLIENTS; i++) tokens.push((await owner.request({ type: 'token.create', role: 'developer', name: `bench-${i}` })).token);
  owner.close();
  const clients = await Promise.all(tokens.map((t) => connect(port, t)));

  // Seed tasks, spread over the clients' budgets.
  const ids = [];
  await Promise.all(clients.map(async (c, i) => {
    for (let k = i; k < TASKS; k += CLIENTS) {
      const t = await c.request({ type: 'task.create', title: `bench task ${k}`, kind: 'fix', files: [{ path: `src/file${k % 40}.ts`, line: k + 1 }], prompt: 'x'.repeat(1500) });
      ids.push(t.id);
    }
  }));

  const f = (ms) => `${ms.toFixed(2)} ms`;
  const report = (name, latencies, seconds) => {
    latencies.sort((a, b) => a - b);
    console.log(`ws task.get ${name}: ${CLIENTS} concurrent clients, ${latencies.length} reads of ~2 KB tasks`);
    console.log(`  p50 ${f(pct(latencies, 50))}  p90 ${f(pct(latencies, 90))}  p99 ${f(pct(latencies, 99))}  max ${f(latencies.at(-1))}  throughput ${Math.round(latencies.length / seconds)} reads/s  (p99 < 5 ms: ${pct(latencies, 99) < 5 ? 'met' : 'NOT met'})`);
  };
  const randomId = () => ids[Math.floor(Math.random() * ids.length)];

  // Paced first, while every token's rate-limit bucket is still full (the saturated phase drains them).
  const paced = [];
  let t0 = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    await new Promise((r) => setTimeout(r, (i * PACE_MS) / CLIENTS)); // spread the clients' phases
    const pending = [];
    const until = performance.now() + PACED_SECONDS * 1000;
    while (performance.now() < until) {
      const s = performance.now();
      pending.push(c.request({ type: 'task.get', taskId: randomId() }).then(() => paced.push(performance.now() - s)));
      await new Promise((r) => setTimeout(r, PACE_MS));
    }
    await Promise.all(pending);
  }));
  report(`paced (each client 1 read / ${PACE_MS} ms = ${Math.round((CLIENTS * 1000) / PACE_MS)} reads/s offered)`, paced, (performance.now() - t0) / 1000);

  // Let the per-token buckets refill before the closed-loop phase.
  await new Promise((r) => setTimeout(r, 2500));
  const saturated = [];
  const cpuBefore = daemonCpuMs(pid);
  t0 = performance.now();
  await Promise.all(clients.map(async (c) => {
    for (let i = 0; i < READS_PER_CLIENT; i++) {
      const s = performance.now();
      await c.request({ type: 'task.get', taskId: randomId() });
      saturated.push(performance.now() - s);
    }
  }));
  report('saturated (closed loop)', saturated, (performance.now() - t0) / 1000);
  const cpuAfter = daemonCpuMs(pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    const perRead = ((cpuAfter - cpuBefore) * 1000) / saturated.length;
    // Load-independent: what one core of daemon time buys, however busy the machine was.
    console.log(`  daemon CPU per read ${perRead.toFixed(0)} µs (≈ ${Math.round(1e6 / perRead)} reads per daemon CPU-second)`);
  }
  // Client and daemon share this machine: the load average says how much of it they had.
  console.log(`  (${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} — latency tails on a busy machine are mostly scheduling)`);
  for (const c of clients) c.close();
} finally {
  shippi('daemon', 'stop');
  await rm(home, { recursive: true, force: true });
}
