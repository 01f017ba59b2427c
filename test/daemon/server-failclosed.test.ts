import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../daemon/store/index.js';
import { TokenRegistry } from '../../daemon/auth/tokens.js';
import { createTaskService } from '../../daemon/tasks/service.js';
import { startServer, type DaemonServer } from '../../daemon/server/index.js';
import { DaemonClient, DaemonReplyError } from '../../clients/cli/daemon-client.js';
import { MemoryAudit, rawUpgrade } from './server-harness.js';

let audit: MemoryAudit;
let server: DaemonServer;
let admin: string;
let viewer: string;

test.before(async () => {
  const store = createMemoryStore();
  audit = new MemoryAudit();
  const tokens = await TokenRegistry.open({ store, audit });
  admin = (await tokens.create('admin', 'owner', 'system')).token;
  viewer = (await tokens.create('viewer', 'v', 'system')).token;
  const tasks = await createTaskService({ store, audit });
  server = await startServer({ tcp: { host: '127.0.0.1', port: 0 } }, { store, audit, tokens, tasks, version: 'test' });
});
test.after(async () => {
  await server.close();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof DaemonReplyError ? err.code : String(err);
  }
}

test('with the audit log failing: no new connections, no writes, no tokens, denials refused; reads still answer', async () => {
  const port = server.port!;
  const a = await DaemonClient.connect({ port }, admin);
  const v = await DaemonClient.connect({ port }, viewer);
  const existing = await a.request({ type: 'task.create', title: 'before', kind: 'fix' });
  audit.failing = true;
  assert.is(await rawUpgrade({ port }, { Host: 'localhost', Authorization: `Bearer ${admin}` }), 503);
  assert.is(await code(a.request({ type: 'task.create', title: 'during', kind: 'fix' })), 'AUDIT_UNAVAILABLE');
  assert.is(await code(a.request({ type: 'task.update', taskId: existing.id, status: 'running' })), 'AUDIT_UNAVAILABLE');
  assert.is(await code(a.request({ type: 'task.delete', taskId: existing.id })), 'AUDIT_UNAVAILABLE');
  assert.is(await code(a.request({ type: 'token.create', role: 'viewer' })), 'AUDIT_UNAVAILABLE');
  assert.is(await code(a.request({ type: 'key.rotate' })), 'AUDIT_UNAVAILABLE');
  assert.is(await code(v.request({ type: 'task.create', title: 'x', kind: 'fix' })), 'AUDIT_UNAVAILABLE', 'an unaudited denial is refused too');
  assert.is((await a.request({ type: 'task.get', taskId: existing.id })).status, 'open');
  audit.failing = false;
  const { tasks } = await a.request({ type: 'task.list' });
  assert.equal(tasks.map((t) => t.title), ['before']);
  assert.is((await a.request({ type: 'token.list' })).tokens.length, 2);
  await a.close();
  await v.close();
});

test.run();
