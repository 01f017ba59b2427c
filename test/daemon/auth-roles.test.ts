import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestDaemon, type TestDaemon } from './server-harness.js';
import { DaemonReplyError, type DaemonClient } from '../../clients/cli/daemon-client.js';
import { REQUEST_TYPES, type RequestType, type Role } from '../../daemon/protocol/index.js';
import { ROLE_PERMISSIONS } from '../../daemon/auth/roles.js';

let d: TestDaemon;
const clients = new Map<Role, DaemonClient>();
const tokenIds = new Map<Role, string>();

test.before(async () => {
  d = await startTestDaemon();
  const owner = await d.connect();
  for (const role of ['viewer', 'developer', 'maintainer', 'admin'] as const) {
    const created = await owner.request({ type: 'token.create', role, name: `${role}-test` });
    tokenIds.set(role, created.id);
    clients.set(role, await d.connect(created.token));
  }
  await owner.close();
});
test.after(async () => {
  for (const c of clients.values()) await c.close();
  await d.dispose();
});

// The documented permission table, written out independently of the code so a change to either is caught.
test('the permission table is the documented one', () => {
  assert.equal(ROLE_PERMISSIONS, {
    viewer: ['tasks.read'],
    developer: ['tasks.read', 'tasks.create', 'models.local'],
    maintainer: ['tasks.read', 'tasks.create', 'models.local', 'models.cloud', 'providers.manage', 'audit.read'],
    admin: ['tasks.read', 'tasks.create', 'models.local', 'models.cloud', 'providers.manage', 'audit.read', 'tokens.manage', 'daemon.manage'],
  });
});

// Which roles may send each request (✓ = allowed), spelled out literally.
const ALLOWED: Record<RequestType, readonly Role[]> = {
  ping: ['viewer', 'developer', 'maintainer', 'admin'],
  'daemon.status': ['viewer', 'developer', 'maintainer', 'admin'],
  'task.get': ['viewer', 'developer', 'maintainer', 'admin'],
  'task.list': ['viewer', 'developer', 'maintainer', 'admin'],
  'task.create': ['developer', 'maintainer', 'admin'],
  'task.update': ['developer', 'maintainer', 'admin'],
  'task.delete': ['developer', 'maintainer', 'admin'],
  'audit.tail': ['maintainer', 'admin'],
  'audit.verify': ['maintainer', 'admin'],
  'token.create': ['admin'],
  'token.list': ['admin'],
  'token.revoke': ['admin'],
  'key.rotate': ['admin'],
  'daemon.shutdown': ['admin'],
};

/** A valid request of each type (ids that do not exist are fine: NOT_FOUND is not FORBIDDEN). */
function sample(type: RequestType): Record<string, unknown> {
  const missingTask = 't_' + '0'.repeat(24);
  switch (type) {
    case 'task.create': return { type, title: 'matrix', kind: 'explain' };
    case 'task.get': case 'task.delete': return { type, taskId: missingTask };
    case 'task.update': return { type, taskId: missingTask, status: 'running' };
    case 'token.create': return { type, role: 'viewer' };
    case 'token.revoke': return { type, tokenId: 'k_' + '0'.repeat(16) };
    case 'audit.tail': return { type, n: 1 };
    default: return { type };
  }
}

test('the role × action matrix over real connections: FORBIDDEN exactly where the table says, each audited', async () => {
  assert.equal([...REQUEST_TYPES].sort(), Object.keys(ALLOWED).sort(), 'every request type is in the matrix');
  let denials = 0;
  for (const type of REQUEST_TYPES) {
    if (type === 'daemon.shutdown') continue; // its allowed case would stop the daemon: checked below
    for (const role of ['viewer', 'developer', 'maintainer', 'admin'] as const) {
      let code: string | undefined;
      try {
        await clients.get(role)!.request(sample(type) as never);
      } catch (err) {
        if (!(err instanceof DaemonReplyError)) throw err;
        code = err.code;
      }
      const allowed = ALLOWED[type].includes(role);
      assert.is(code === 'FORBIDDEN', !allowed, `${role} ${type} → ${code ?? 'ok'}`);
      if (!allowed) denials++;
    }
  }
  for (const role of ['viewer', 'developer', 'maintainer'] as const) {
    try {
      await clients.get(role)!.request({ type: 'daemon.shutdown' });
      assert.unreachable(`${role} may not shut down`);
    } catch (err) {
      assert.is((err as DaemonReplyError).code, 'FORBIDDEN');
      denials++;
    }
  }
  const { entries } = await clients.get('admin')!.request({ type: 'audit.tail', n: 10_000 });
  const denied = entries.filter((e) => e.type === 'permission.denied');
  assert.is(denied.length, denials);
  assert.ok(denied.every((e) => typeof e.detail['request'] === 'string' && e.actor.startsWith('k_')));
});

test('a revoked token is closed at once and cannot reconnect', async () => {
  const admin = clients.get('admin')!;
  const extra = await admin.request({ type: 'token.create', role: 'viewer', name: 'short-lived' });
  const conn = await d.connect(extra.token);
  const closed = new Promise<number>((r) => conn.ws.once('close', (code) => r(code)));
  const result = await admin.request({ type: 'token.revoke', tokenId: extra.id });
  assert.is(result.closedConnections, 1);
  assert.is(await closed, 4001);
  try {
    await d.connect(extra.token);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { status?: number }).status, 401);
  }
  const { tokens } = await admin.request({ type: 'token.list' });
  assert.not.ok(tokens.some((t) => t.id === extra.id));
  assert.not.ok(JSON.stringify(tokens).includes('shp_'), 'token.list never shows a token');
});

test('the last admin token cannot be revoked', async () => {
  const admin = clients.get('admin')!;
  const { tokens } = await admin.request({ type: 'token.list' });
  const admins = tokens.filter((t) => t.role === 'admin');
  assert.is(admins.length, 2); // owner + admin-test
  await admin.request({ type: 'token.revoke', tokenId: admins.find((t) => t.id !== tokenIds.get('admin'))!.id });
  try {
    await admin.request({ type: 'token.revoke', tokenId: tokenIds.get('admin')! });
    assert.unreachable();
  } catch (err) {
    assert.is((err as DaemonReplyError).code, 'CONFLICT');
  }
});

test('an admin may shut the daemon down', async () => {
  const result = await clients.get('admin')!.request({ type: 'daemon.shutdown' });
  assert.is(result.stopping, true);
  await d.daemon.stopped;
});

test.run();
