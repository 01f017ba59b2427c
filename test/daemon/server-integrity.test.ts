import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { startTestDaemon } from './server-harness.js';
import { DaemonReplyError } from '../../clients/cli/daemon-client.js';

/** Flip one bit in the middle of a stored value, with the daemon stopped, straight in LevelDB. */
async function flipBit(dir: string, key: string): Promise<void> {
  const db = new Level<string, Buffer>(join(dir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  await db.open();
  try {
    const value = await db.get(key);
    assert.ok(value, `no stored value under ${JSON.stringify(key)}`);
    value[Math.floor(value.length / 2)]! ^= 0x10;
    await db.put(key, value);
  } finally {
    await db.close();
  }
}

test('a tampered task is named as unreadable by task.list and INTEGRITY by task.get; the others stay readable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shippi-integ-'));
  try {
    let d = await startTestDaemon({ stateDir: dir });
    let c = await d.connect();
    const made = [];
    for (const title of ['one', 'two', 'three']) made.push(await c.request({ type: 'task.create', title, kind: 'review', files: [{ path: 'src/x.ts' }] }));
    await c.close();
    await d.daemon.stop();
    const victim = made[1]!;
    await flipBit(dir, `tasks\x00${victim.id}`);

    d = await startTestDaemon({ stateDir: dir });
    c = await d.connect();
    for (const query of [{}, { status: 'open' as const }, { file: 'src/x.ts' }]) {
      const listed = await c.request({ type: 'task.list', ...query });
      assert.equal(listed.tasks.map((t) => t.title).sort(), ['one', 'three'], JSON.stringify(query));
      assert.equal(listed.unreadable, [`tasks/${victim.id}`]);
    }
    try {
      await c.request({ type: 'task.get', taskId: victim.id });
      assert.unreachable();
    } catch (err) {
      assert.is((err as DaemonReplyError).code, 'INTEGRITY');
      assert.match((err as DaemonReplyError).message, victim.id);
    }
    assert.is((await c.request({ type: 'task.get', taskId: made[0]!.id })).title, 'one');
    await c.close();
    await d.daemon.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a tampered index entry does not hide its task', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shippi-integ-'));
  try {
    let d = await startTestDaemon({ stateDir: dir });
    let c = await d.connect();
    const t = await c.request({ type: 'task.create', title: 'indexed', kind: 'fix' });
    await c.close();
    await d.daemon.stop();
    await flipBit(dir, `task-status\x00open/${t.id}`);
    d = await startTestDaemon({ stateDir: dir });
    c = await d.connect();
    const listed = await c.request({ type: 'task.list', status: 'open' });
    assert.equal(listed.tasks.map((x) => x.id), [t.id]);
    assert.is(listed.unreadable, undefined);
    await c.close();
    await d.daemon.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
