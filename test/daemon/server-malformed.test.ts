import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { startTestDaemon, type TestDaemon } from './server-harness.js';
import { MAX_PAYLOAD_BYTES } from '../../daemon/protocol/index.js';

let d: TestDaemon;

test.before(async () => {
  // The default heartbeat: a client busy sending 10,000 messages in one go answers pings late on a loaded
  // machine, and a 100 ms heartbeat then (rightly) drops it. The ping test below has its own daemon.
  d = await startTestDaemon({ rateLimit: { burst: 1e9, perSecond: 1e9 } });
});
test.after(async () => {
  await d.dispose();
});

function open(token = d.ownerToken): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${d.port}/`, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A deterministic generator of broken messages: random bytes, truncated JSON, wrong types, unknown keys, bad enums. */
function* malformed(count: number): Generator<string | Buffer> {
  let seed = 0x5eed;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const valid = [
    { type: 'task.create', id: 1, title: 'x', kind: 'fix' },
    { type: 'task.update', id: 1, taskId: 't_' + 'a'.repeat(24), status: 'running' },
    { type: 'token.create', id: 1, role: 'admin' },
    { type: 'task.delete', id: 1, taskId: 't_' + 'b'.repeat(24) },
    { type: 'daemon.shutdown', id: 1 },
    { type: 'key.rotate', id: 1 },
  ];
  for (let i = 0; i < count; i++) {
    const base = JSON.stringify(valid[rnd(valid.length)]);
    switch (rnd(10)) {
      case 0: yield Buffer.from(Array.from({ length: 1 + rnd(64) }, () => rnd(256))); break; // binary frame
      case 1: yield base.slice(0, rnd(base.length)); break; // truncated
      case 2: yield base.replace('"id":1', `"id":1,"x${rnd(1000)}":true`); break; // unknown key
      case 3: yield base.replace(/"type":"[^"]+"/, `"type":"task.${rnd(1000)}"`); break; // unknown type
      case 4: yield base.replace('"id":1', '"id":{"$gt":0}'); break; // bad id
      case 5: yield base.replace(/"(kind|role|status)":"[^"]+"/, '"$1":"root"').replace('"type":"daemon.shutdown"', '"type":"daemon.shutdown","now":1').replace('"type":"key.rotate"', '"type":"key.rotate","all":1'); break;
      case 6: yield '['.repeat(1 + rnd(5000)); break; // deeply nested, unterminated
      case 7: yield JSON.stringify([valid[0]]); break; // array instead of object
      case 8: yield base.replace('"id":1', '"id":1,"__proto__":{"role":"admin"}'); break;
      default: yield `${base}${String.fromCharCode(rnd(32))}garbage`; break;
    }
  }
}

async function snapshot(): Promise<string> {
  const c = await d.connect();
  const tasks = await c.request({ type: 'task.list' });
  const tokens = await c.request({ type: 'token.list' });
  await c.close();
  return JSON.stringify({ tasks, tokens });
}

test('10,000 malformed messages: one BAD_REQUEST reply each, no crash, no state change', async () => {
  const c = await d.connect();
  await c.request({ type: 'task.create', title: 'existing', kind: 'fix' });
  await c.close();
  const before = await snapshot();
  const ws = await open();
  const total = 10_000;
  let replies = 0;
  let badRequests = 0;
  const done = new Promise<void>((resolve, reject) => {
    ws.once('close', (code) => reject(new Error(`connection closed (${code}) after ${replies} replies`)));
    ws.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as { ok: boolean; error?: { code: string } };
      replies++;
      if (!reply.ok && reply.error?.code === 'BAD_REQUEST') badRequests++;
      if (replies === total) resolve();
    });
  });
  for (const message of malformed(total)) ws.send(message);
  await done;
  assert.is(badRequests, total);
  ws.close();
  assert.is(await snapshot(), before);
});

test('an oversized message closes that connection with 1009 and changes nothing; the daemon keeps serving', async () => {
  const before = await snapshot();
  for (let i = 0; i < 3; i++) {
    const ws = await open();
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('error', () => undefined);
    const big = JSON.stringify({ type: 'task.create', id: 1, kind: 'fix', title: 'x', prompt: 'A'.repeat(MAX_PAYLOAD_BYTES) });
    ws.send(big);
    assert.is(await closed, 1009);
  }
  assert.is(await snapshot(), before);
});

test('a peer that stops answering pings is terminated', async () => {
  const quick = await startTestDaemon({ heartbeatMs: 100 });
  try {
    // A raw upgrade that never answers pings (a real ws client would pong automatically).
    const socket = connect({ host: '127.0.0.1', port: quick.port });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    socket.write(['GET / HTTP/1.1', 'Host: localhost', 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', `Authorization: Bearer ${quick.ownerToken}`, '', ''].join('\r\n'));
    socket.resume();
    await closed; // the heartbeat is 100 ms here; the test would time out if the server kept the dead peer
    assert.ok(socket.destroyed);
  } finally {
    await quick.dispose();
  }
});

test('a client that does not read its replies is dropped once its send buffer passes the cap', async () => {
  const small = await startTestDaemon({ rateLimit: { burst: 1e9, perSecond: 1e9 } });
  try {
    const c = await small.connect();
    await c.request({ type: 'task.create', title: 'x'.repeat(400), kind: 'fix', prompt: 'p'.repeat(200_000) });
    await c.close();
    const slow = new WebSocket(`ws://127.0.0.1:${small.port}/`, { headers: { Authorization: `Bearer ${small.ownerToken}` } });
    await new Promise((r) => slow.once('open', r));
    const raw = (slow as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause(); // stop reading: replies pile up in the daemon's send buffer
    for (let i = 0; i < 400; i++) slow.send(JSON.stringify({ type: 'task.list', id: i }));
    // Watch from another connection until the daemon has dropped the slow reader (only the watcher remains).
    const c2 = await small.connect();
    let connections = -1;
    for (let i = 0; i < 200 && connections !== 1; i++) {
      connections = (await c2.request({ type: 'daemon.status' })).connections;
      if (connections !== 1) await new Promise((r) => setTimeout(r, 50));
    }
    assert.is(connections, 1, 'the slow reader was dropped and the daemon still serves others');
    await c2.close();
  } finally {
    await small.dispose();
  }
});

test('rate limits: beyond the budget requests get RATE_LIMITED and the flood is audited once', async () => {
  const limited = await startTestDaemon({ rateLimit: { burst: 5, perSecond: 0.001 } });
  try {
    const owner = await limited.connect();
    const auditor = await owner.request({ type: 'token.create', role: 'maintainer' }); // 1 of the owner's 5
    await owner.close();
    const ws = new WebSocket(`ws://127.0.0.1:${limited.port}/`, { headers: { Authorization: `Bearer ${limited.ownerToken}` } });
    await new Promise((r) => ws.once('open', r));
    const codes: string[] = [];
    const ids: Array<number | null> = [];
    const all = new Promise<void>((resolve) => ws.on('message', (m) => {
      const r = JSON.parse(m.toString()) as { id: number | null; ok: boolean; error?: { code: string } };
      codes.push(r.ok ? 'ok' : r.error!.code);
      ids.push(r.id);
      if (codes.length === 20) resolve();
    }));
    for (let i = 0; i < 20; i++) ws.send(JSON.stringify({ type: 'ping', id: i }));
    await all;
    assert.is(codes.filter((c) => c === 'ok').length, 4);
    assert.is(codes.filter((c) => c === 'RATE_LIMITED').length, 16);
    assert.equal([...ids].sort((a, b) => a! - b!), Array.from({ length: 20 }, (_, i) => i), 'every reply, limited or not, carries its request id');
    ws.close();
    // Another token has its own bucket.
    const other = await limited.connect(auditor.token);
    const { entries } = await other.request({ type: 'audit.tail', n: 1000 });
    assert.is(entries.filter((e) => e.type === 'rate.limited').length, 1);
    await other.close();
  } finally {
    await limited.dispose();
  }
});

test.run();
