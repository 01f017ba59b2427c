import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestDaemon, rawUpgrade, type TestDaemon } from './server-harness.js';
import { DaemonClient, DaemonConnectError } from '../../clients/cli/daemon-client.js';
import { checkUpgrade } from '../../daemon/server/index.js';
import { planListen } from '../../daemon/server/index.js';

let d: TestDaemon;

test.before(async () => {
  d = await startTestDaemon();
});
test.after(async () => {
  await d.dispose();
});

const bearer = (t: string): Record<string, string> => ({ Authorization: `Bearer ${t}` });

test('Origin / Host / token matrix over real TCP upgrades', async () => {
  const good = bearer(d.ownerToken);
  const wrongSecret = d.ownerToken.slice(0, -4) + (d.ownerToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const cases: Array<[string, Record<string, string | string[]>, number]> = [
    ['localhost + token', { Host: 'localhost', ...good }, 101],
    ['localhost:port + token', { Host: `localhost:${d.port}`, ...good }, 101],
    ['127.0.0.1:port + token', { Host: `127.0.0.1:${d.port}`, ...good }, 101],
    ['[::1]:port + token', { Host: `[::1]:${d.port}`, ...good }, 101],
    ['LOCALHOST (case-insensitive) + token', { Host: 'LOCALHOST', ...good }, 101],
    ['browser Origin', { Host: 'localhost', Origin: 'http://localhost:3000', ...good }, 403],
    ['Origin null', { Host: 'localhost', Origin: 'null', ...good }, 403],
    ['foreign Host (DNS rebinding)', { Host: 'evil.example', ...good }, 403],
    ['Host that starts with localhost', { Host: 'localhost.evil.example', ...good }, 403],
    ['0.0.0.0 Host', { Host: '0.0.0.0', ...good }, 403],
    ['missing Host over TCP', { ...good }, 403],
    ['two Host headers', { Host: ['localhost', 'evil.example'], ...good }, 400],
    ['no token', { Host: 'localhost' }, 401],
    ['wrong secret with a real id', { Host: 'localhost', ...bearer(wrongSecret) }, 401],
    ['garbage token', { Host: 'localhost', ...bearer('not-a-token') }, 401],
    ['Basic auth instead of Bearer', { Host: 'localhost', Authorization: `Basic ${Buffer.from(`x:${d.ownerToken}`).toString('base64')}` }, 401],
    ['lowercase bearer scheme', { Host: 'localhost', Authorization: `bearer ${d.ownerToken}` }, 401],
  ];
  for (const [name, headers, expected] of cases) {
    assert.is(await rawUpgrade({ port: d.port }, headers), expected, name);
  }
});

test('a token in the URL is refused even when it is valid, and even with a header token', async () => {
  assert.is(await rawUpgrade({ port: d.port }, { Host: 'localhost' }, `/?token=${d.ownerToken}`), 400);
  assert.is(await rawUpgrade({ port: d.port }, { Host: 'localhost', ...bearer(d.ownerToken) }, `/?token=${d.ownerToken}`), 400);
  assert.is(await rawUpgrade({ port: d.port }, { Host: 'localhost', ...bearer(d.ownerToken) }, '/other'), 404);
});

test('over the unix socket a missing Host is accepted, a foreign Host or an Origin is not', async () => {
  const socketPath = d.socket!;
  assert.is(await rawUpgrade({ socketPath }, bearer(d.ownerToken)), 101);
  assert.is(await rawUpgrade({ socketPath }, { Host: 'evil.example', ...bearer(d.ownerToken) }), 403);
  assert.is(await rawUpgrade({ socketPath }, { Origin: 'https://evil.example', ...bearer(d.ownerToken) }), 403);
  assert.is(await rawUpgrade({ socketPath }, {}), 401);
  const client = await DaemonClient.connect({ socket: socketPath }, d.ownerToken);
  assert.is((await client.request({ type: 'ping' })).pong, true);
  await client.close();
});

test('every refused upgrade is audited as auth.denied and every accepted one as auth.ok', async () => {
  const client = await d.connect();
  const before = (await client.request({ type: 'audit.tail', n: 10_000 })).entries;
  await rawUpgrade({ port: d.port }, { Host: 'evil.example', ...bearer(d.ownerToken) });
  await rawUpgrade({ port: d.port }, { Host: 'localhost', ...bearer('nope') });
  const after = (await client.request({ type: 'audit.tail', n: 10_000 })).entries;
  const added = after.filter((e) => e.seq > before[before.length - 1]!.seq);
  assert.equal(added.map((e) => [e.type, e.detail['status']]), [['auth.denied', 403], ['auth.denied', 401]]);
  assert.ok(after.some((e) => e.type === 'auth.ok'));
  // The audit log never holds the token itself.
  assert.not.ok(JSON.stringify(after).includes(d.ownerToken.slice(21)));
  await client.close();
});

test('a flood of refused upgrades is audited within a budget, and the unaudited ones are counted', async () => {
  const client = await d.connect();
  const before = (await client.request({ type: 'audit.tail', n: 1 })).entries[0]!.seq;
  const attempts = 300;
  await Promise.all(Array.from({ length: attempts }, () => rawUpgrade({ port: d.port }, { Host: 'localhost' })));
  await new Promise((r) => setTimeout(r, 200)); // let the budget refill so the next refusal is written
  await rawUpgrade({ port: d.port }, { Host: 'localhost' });
  const added = (await client.request({ type: 'audit.tail', n: 10_000 })).entries.filter((e) => e.seq > before && e.type === 'auth.denied');
  assert.ok(added.length < attempts, `${added.length} entries for ${attempts + 1} refusals`);
  const counted = added.reduce((n, e) => n + 1 + Number(e.detail['unauditedBefore'] ?? 0), 0);
  assert.is(counted, attempts + 1);
  await client.close();
});

test('the client reports a refused upgrade with its HTTP status', async () => {
  try {
    await DaemonClient.connect({ port: d.port }, 'shp_0000000000000000_' + 'A'.repeat(43));
    assert.unreachable('should have been refused');
  } catch (err) {
    assert.instance(err, DaemonConnectError);
    assert.is((err as DaemonConnectError).status, 401);
  }
});

test('checkUpgrade refuses before calling authenticate when Origin or Host is wrong', () => {
  let calls = 0;
  const auth = () => {
    calls++;
    return undefined;
  };
  checkUpgrade({ headers: { origin: 'x', host: 'localhost', authorization: 'Bearer y' }, url: '/', rawHeaders: ['Host', 'localhost'] }, false, auth);
  checkUpgrade({ headers: { host: 'evil', authorization: 'Bearer y' }, url: '/', rawHeaders: ['Host', 'evil'] }, false, auth);
  assert.is(calls, 0);
});

test('a config asking for a non-loopback interface fails with a message naming it', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
    try {
      await planListen({ host, port: 0 });
      assert.unreachable(host);
    } catch (err) {
      assert.match((err as Error).message, `refusing to listen on ${host}`);
    }
  }
  assert.equal(await planListen({ host: 'localhost', port: 0 }), { tcp: { host: '127.0.0.1', port: 0 } });
});

test('a unix socket in a directory others can read is refused', async () => {
  try {
    await planListen({ socket: '/tmp/shippi-test.sock' });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, 'must be 0700');
  }
});

test.run();
