import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDaemon, DaemonStartError } from '../../daemon/main.js';
import { DaemonClient } from '../../clients/cli/daemon-client.js';

let dir: string;
let bystander: ChildProcess;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shippi-lock-'));
  // A live process that is not a daemon: stands in for a pid reused after kill -9.
  bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
});
test.after.each(async () => {
  bystander.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const start = () => runDaemon({ stateDir: dir, version: 'test', listen: { host: '127.0.0.1', port: 0 } });

test('a lock held by a live process that never published an address means already running, and nothing is created', async () => {
  await writeFile(join(dir, 'daemon.lock'), `${bystander.pid}\n`);
  try {
    await start();
    assert.unreachable();
  } catch (err) {
    assert.instance(err, DaemonStartError);
    assert.is((err as DaemonStartError).code, 'ALREADY_RUNNING');
    assert.match((err as Error).message, `pid ${bystander.pid}`);
  }
  assert.not.ok(await stat(join(dir, 'keyring.json')).catch(() => undefined), 'the key ring was not touched');
});

test('a lock and daemon.json left by a killed daemon whose pid now belongs to another process are stale', async () => {
  await writeFile(join(dir, 'daemon.lock'), `${bystander.pid}\n`);
  await writeFile(join(dir, 'daemon.json'), JSON.stringify({ pid: bystander.pid, port: 1, version: 'old', started: 'then' }));
  const d = await start();
  assert.is(d.info.pid, process.pid);
  assert.is((await readFile(join(dir, 'daemon.lock'), 'utf8')).trim(), String(process.pid));
  await d.stop();
  assert.not.ok(await stat(join(dir, 'daemon.lock')).catch(() => undefined), 'the lock is released on stop');
});

test('a deleted owner.token is replaced on the next start, and the lost token stops working', async () => {
  const first = await start();
  const lost = (await readFile(join(dir, 'owner.token'), 'utf8')).trim();
  await first.stop();
  await rm(join(dir, 'owner.token'));
  const second = await start();
  try {
    assert.ok(second.ownerTokenCreated);
    const fresh = (await readFile(join(dir, 'owner.token'), 'utf8')).trim();
    assert.is.not(fresh, lost);
    await (await DaemonClient.connect({ port: second.info.port! }, fresh)).close();
    const refused = await DaemonClient.connect({ port: second.info.port! }, lost).then(async (c) => (await c.close(), false), () => true);
    assert.ok(refused, 'the lost token no longer authenticates');
  } finally {
    await second.stop();
  }
});

test("a token someone else named 'owner' survives the owner token file's replacement", async () => {
  const first = await start();
  const ownerToken = (await readFile(join(dir, 'owner.token'), 'utf8')).trim();
  const client = await DaemonClient.connect({ port: first.info.port! }, ownerToken);
  const mine = await client.request({ type: 'token.create', role: 'admin', name: 'owner' });
  await client.close();
  await first.stop();
  await rm(join(dir, 'owner.token'));
  const second = await start();
  try {
    const kept = await DaemonClient.connect({ port: second.info.port! }, mine.token);
    const ids = (await kept.request({ type: 'token.list' })).tokens.map((t) => t.id);
    await kept.close();
    assert.ok(ids.includes(mine.id), 'the hand-made token is still there');
    const refused = await DaemonClient.connect({ port: second.info.port! }, ownerToken).then(async (c) => (await c.close(), false), () => true);
    assert.ok(refused, 'the daemon-issued owner token was revoked');
  } finally {
    await second.stop();
  }
});

test('a daemon on ::1 publishes its host, and clients reach it there', async () => {
  const d = await runDaemon({ stateDir: dir, version: 'test', listen: { host: '::1', port: 0 } });
  try {
    const info = JSON.parse(await readFile(join(dir, 'daemon.json'), 'utf8'));
    assert.is(info.host, '::1');
    const token = (await readFile(join(dir, 'owner.token'), 'utf8')).trim();
    const c = await DaemonClient.connect({ host: '::1', port: info.port }, token);
    assert.is((await c.request({ type: 'ping' })).pong, true);
    await c.close();
  } finally {
    await d.stop();
  }
});

test.run();
