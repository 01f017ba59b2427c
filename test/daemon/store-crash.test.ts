import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../daemon/store/index.js';
import { openAuditLog, readTail } from '../../daemon/audit/index.js';

// kill -9 of a process writing to the store and the audit log, at random moments: every acknowledged write
// must be there afterwards and the audit chain must verify once a torn final line (if any) is cut.
const RUNS = Number(process.env['SHIPPI_CRASH_RUNS'] ?? 8);
const root = mkdtempSync(join(tmpdir(), 'shippi-crash-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const store = new URL('../../daemon/store/index.ts', import.meta.url).pathname;
const audit = new URL('../../daemon/audit/index.ts', import.meta.url).pathname;
const script = join(root, 'writer.mts');
writeFileSync(script, `
  import { openStore } from ${JSON.stringify(store)};
  import { openAuditLog } from ${JSON.stringify(audit)};
  const dir = process.argv[2];
  const { store, auditKey } = await openStore({ dir });
  const log = await openAuditLog({ dir, key: auditKey, checkpointEvery: 16 });
  for (let i = 0; ; i++) {
    const id = process.pid + '-' + i;
    await store.batch([
      { type: 'put', ns: 'tasks', id, value: { id, body: 'b'.repeat(1500) } },
      { type: 'put', ns: 'idx', id: 'status:' + id, value: id },
    ]);
    await log.append({ type: 'task.created', actor: 'system', detail: { task: id } });
    process.stdout.write('ack ' + id + '\\n');
  }
`);

/** Run the writer until `afterMs` past its first ack, SIGKILL it, and return the ids it acknowledged. */
function runAndKill(dir: string, afterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!armed && out.includes('\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${err}`));
      else resolve(out.split('\n').filter((l) => l.startsWith('ack ')).map((l) => l.slice(4)));
    });
  });
}

test(`${RUNS} SIGKILLs at random moments lose no acknowledged write and leave a verifiable audit chain`, async () => {
  const dir = join(root, 'state');
  const acked: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    acked.push(...(await runAndKill(dir, Math.floor(Math.random() * 150))));
    const { store: s, auditKey } = await openStore({ dir });
    for (const id of acked) {
      const task = await s.get<{ id: string }>('tasks', id);
      assert.is(task?.id, id, `acknowledged task ${id} survived run ${run}`);
      assert.is(await s.get('idx', `status:${id}`), id, `its index entry rode in the same batch`);
    }
    assert.ok(s.keyStatus().encryptions >= 2 * acked.length, 'the persisted encryption count never under-counts');
    const log = await openAuditLog({ dir, key: auditKey });
    assert.equal(await log.verify(), { ok: true, entries: (await log.tail(1))[0]?.seq ?? 0 });
    await log.close();
    await s.close();
  }
  assert.ok(acked.length > RUNS, 'the writers acknowledged writes before being killed');
  const logged = new Set((await readTail(dir, 1_000_000)).map((e) => e.detail['task']));
  for (const id of acked) assert.ok(logged.has(id), `acknowledged audit entry for ${id}`);
});

test.run();
