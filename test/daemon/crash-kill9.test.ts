/**
 * kill -9 of a writing daemon at random moments, many times over one state directory: after every restart,
 * every acknowledged task (and every acknowledged status change) is there, and the audit chain verifies.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DaemonClient } from '../../clients/cli/daemon-client.js';
import type { TaskStatus } from '../../daemon/protocol/index.js';

const root = new URL('../../', import.meta.url).pathname;
const KILLS = Number(process.env['SHIPPI_CRASH_KILLS'] ?? 50);
const WRITERS = 4;

let dir: string;
let childScript: string;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shippi-crash-'));
  // A plain-node bundle starts in a fraction of the time tsx needs, which keeps 50+ restarts affordable.
  // It lives under node_modules/.cache so that its bare imports (level, ws, zod) resolve.
  const out = join(root, 'node_modules', '.cache', 'shippi-test');
  await mkdir(out, { recursive: true });
  childScript = join(out, `crash-daemon-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'test/daemon/crash-daemon-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(childScript, { force: true });
});

interface Started { child: ChildProcess; port: number; token: string }

async function startDaemon(stateDir = dir): Promise<Started> {
  const child = spawn(process.execPath, [childScript, stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  for (let i = 0; i < 400; i++) {
    if (exited) throw new Error(`daemon exited during start: ${stderr}`);
    try {
      const info = JSON.parse(await readFile(join(stateDir, 'daemon.json'), 'utf8')) as { pid: number; port: number };
      if (info.pid === child.pid) return { child, port: info.port, token: (await readFile(join(stateDir, 'owner.token'), 'utf8')).trim() };
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`daemon did not start: ${stderr}`);
}

/** What the clients were told: task id → the statuses acknowledged, in order. */
const acknowledged = new Map<string, TaskStatus[]>();
const NEXT: Partial<Record<TaskStatus, TaskStatus>> = { open: 'running', running: 'proposed', proposed: 'applied', applied: 'rolled-back' };

/** Keep writing (create, then walk each task forward) until the connection dies. */
async function writeUntilKilled(client: DaemonClient): Promise<void> {
  const mine: string[] = [];
  for (;;) {
    try {
      const open = mine.find((id) => NEXT[acknowledged.get(id)!.at(-1)!] !== undefined);
      if (open !== undefined && Math.random() < 0.6) {
        const next = NEXT[acknowledged.get(open)!.at(-1)!]!;
        const t = await client.request({ type: 'task.update', taskId: open, status: next });
        acknowledged.get(open)!.push(t.status);
      } else {
        const t = await client.request({ type: 'task.create', title: `crash ${acknowledged.size}`, kind: 'fix', files: [{ path: `src/f${acknowledged.size % 7}.ts` }], prompt: 'p'.repeat(500) });
        acknowledged.set(t.id, ['open']);
        mine.push(t.id);
      }
    } catch {
      return; // killed
    }
  }
}

async function checkEverythingAcknowledgedIsThere(port: number, token: string): Promise<void> {
  const client = await DaemonClient.connect({ port }, token);
  try {
    const { tasks } = await client.request({ type: 'task.list', limit: 10_000 });
    const byId = new Map(tasks.map((t) => [t.id, t]));
    for (const [id, statuses] of acknowledged) {
      const task = byId.get(id);
      assert.ok(task, `acknowledged task ${id} is missing`);
      // A change may have landed without its reply arriving (killed in between), so the store may be ahead.
      const stored = task.history.map((h) => h.to);
      assert.equal(stored.slice(0, statuses.length), statuses, `task ${id} lost an acknowledged status change`);
    }
    // The status index agrees with the records.
    for (const status of ['open', 'running', 'proposed', 'applied', 'rolled-back'] as const) {
      const listed = (await client.request({ type: 'task.list', status, limit: 10_000 })).tasks.map((t) => t.id).sort();
      assert.equal(listed, tasks.filter((t) => t.status === status).map((t) => t.id).sort(), `index for ${status}`);
    }
    const verify = await client.request({ type: 'audit.verify' });
    assert.ok(verify.ok, `audit chain broken: ${JSON.stringify(verify)}`);
  } finally {
    await client.close();
  }
}

test(`kill -9 at random moments (${KILLS} times): every acknowledged task intact, audit chain verifies`, async () => {
  for (let round = 0; round < KILLS; round++) {
    const { child, port, token } = await startDaemon();
    await checkEverythingAcknowledgedIsThere(port, token);
    const clients = await Promise.all(Array.from({ length: WRITERS }, () => DaemonClient.connect({ port }, token)));
    const writing = clients.map((c) => writeUntilKilled(c));
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 120));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await Promise.all(writing);
    await Promise.all(clients.map((c) => c.close()));
  }
  const { child, port, token } = await startDaemon();
  await checkEverythingAcknowledgedIsThere(port, token);
  assert.ok(acknowledged.size > KILLS, `only ${acknowledged.size} tasks were acknowledged`);
  const changes = [...acknowledged.values()].reduce((n, s) => n + s.length - 1, 0);
  console.log(`  ${KILLS} kills: ${acknowledged.size} acknowledged tasks and ${changes} acknowledged status changes all intact`);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.is(await exited, 0, 'a clean shutdown after all that');
});

test('racing first starts on a fresh state dir: exactly one daemon runs, the rest say already running, and its key ring is the one on disk', async () => {
  const fresh = await mkdtemp(join(tmpdir(), 'shippi-race-'));
  try {
    const children = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, [childScript, fresh], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<string>((r) => child.once('exit', () => r(stderr)));
      return { child, exited };
    });
    let info: { pid: number; port: number } | undefined;
    for (let i = 0; i < 400 && !info; i++) {
      info = await readFile(join(fresh, 'daemon.json'), 'utf8').then((t) => JSON.parse(t) as { pid: number; port: number }, () => undefined);
      if (!info) await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(info, 'one daemon started');
    const losers = children.filter((c) => c.child.pid !== info!.pid);
    assert.is(losers.length, 3);
    for (const loser of losers) assert.match(await loser.exited, 'already running');
    const winner = children.find((c) => c.child.pid === info!.pid)!;
    const token = (await readFile(join(fresh, 'owner.token'), 'utf8')).trim();
    const client = await DaemonClient.connect({ port: info.port }, token);
    const t = await client.request({ type: 'task.create', title: 'after the race', kind: 'fix' });
    await client.close();
    winner.child.kill('SIGTERM');
    await winner.exited;
    // Restart: the key ring on disk opens what the winner wrote.
    const again = await startDaemon(fresh);
    const c2 = await DaemonClient.connect({ port: again.port }, again.token);
    assert.is((await c2.request({ type: 'task.get', taskId: t.id })).title, 'after the race');
    await c2.close();
    const gone = new Promise((r) => again.child.once('exit', r));
    again.child.kill('SIGTERM');
    await gone;
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
});

test.run();
