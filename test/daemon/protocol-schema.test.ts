import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFrame, Request, REQUEST_TYPES, Results, Reply } from '../../daemon/protocol/index.js';

function error(text: string): { id: unknown; code: string; message: string } {
  const parsed = parseFrame(text);
  if (parsed.ok) throw new Error(`expected a BAD_REQUEST for ${text}`);
  return { id: parsed.reply.id, code: parsed.reply.error.code, message: parsed.reply.error.message };
}

test('a valid request parses into its typed form', () => {
  const parsed = parseFrame(JSON.stringify({ type: 'task.list', id: 7, status: 'open', file: 'src/a.ts' }));
  assert.equal(parsed, { ok: true, request: { type: 'task.list', id: 7, status: 'open', file: 'src/a.ts' } });
});

test('unknown keys are rejected, not stripped, and the reply names the key', () => {
  const e = error(JSON.stringify({ type: 'ping', id: 'a', admin: true }));
  assert.is(e.code, 'BAD_REQUEST');
  assert.is(e.id, 'a');
  assert.match(e.message, 'admin');
});

test('the BAD_REQUEST message names the path of the bad field', () => {
  const e = error(JSON.stringify({ type: 'task.create', id: 1, title: 'x', kind: 'fix', files: [{ path: '' }] }));
  assert.match(e.message, 'files.0.path');
  const k = error(JSON.stringify({ type: 'task.create', id: 2, title: 'x', kind: 'rewrite-everything' }));
  assert.match(k.message, 'kind');
});

test('broken JSON, non-objects, unknown types and missing ids are all BAD_REQUEST with a null or echoed id', () => {
  assert.equal(error('{').id, null);
  assert.match(error('{').message, 'not valid JSON');
  assert.equal(error('[]').id, null);
  assert.equal(error('null').id, null);
  assert.equal(error('"ping"').id, null);
  assert.equal(error(JSON.stringify({ type: 'nope', id: 3 })).id, 3);
  assert.match(error(JSON.stringify({ type: 'nope', id: 3 })).message, 'type');
  assert.equal(error(JSON.stringify({ type: 'ping' })).id, null);
  assert.equal(error(JSON.stringify({ type: 'ping', id: { x: 1 } })).id, null);
  assert.equal(error(JSON.stringify({ type: 'ping', id: -1 })).id, null);
  assert.equal(error(JSON.stringify({ type: 'ping', id: 'x'.repeat(65) })).id, null);
});

test('ids of the wrong shape for task and token ids are refused before any lookup', () => {
  assert.match(error(JSON.stringify({ type: 'task.get', id: 1, taskId: '../../etc/passwd' })).message, 'taskId');
  assert.match(error(JSON.stringify({ type: 'token.revoke', id: 1, tokenId: 'k_\u0000' })).message, 'tokenId');
});

test('a prototype-pollution shaped message changes nothing and is refused', () => {
  const e = error('{"type":"ping","id":1,"__proto__":{"polluted":true}}');
  assert.is(e.code, 'BAD_REQUEST');
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test('very long error lists are cut short', () => {
  const e = error(JSON.stringify({ type: 'task.create', id: 1, ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])) }));
  assert.ok(e.message.length <= 520, `message length ${e.message.length}`);
});

test('every request type has a result schema and every union member is strict', () => {
  assert.equal(Object.keys(Results).sort(), [...REQUEST_TYPES].sort());
  for (const option of Request.options) {
    const r = option.safeParse({ ...minimal(option.shape.type.value), extra: 1 });
    assert.not.ok(r.success, `${option.shape.type.value} accepts an unknown key`);
  }
});

test('replies parse as one of the two reply shapes', () => {
  assert.ok(Reply.safeParse({ id: 1, ok: true, result: { pong: true } }).success);
  assert.ok(Reply.safeParse({ id: null, ok: false, error: { code: 'BAD_REQUEST', message: 'x' } }).success);
  assert.not.ok(Reply.safeParse({ id: 1, ok: false, error: { code: 'SOMETHING_NEW', message: 'x' } }).success);
});

function minimal(type: string): Record<string, unknown> {
  return { type, id: 1 };
}

test.run();
