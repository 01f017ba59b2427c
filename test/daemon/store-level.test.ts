import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../daemon/store/index.js';
import type { EncryptedStore } from '../../daemon/store/types.js';
import { storeConformance } from './store-conformance.js';

const dirs: string[] = [];
const dirOf = new WeakMap<EncryptedStore, string>();

async function openIn(dir: string): Promise<EncryptedStore> {
  const { store } = await openStore({ dir, rotateBatchSize: 7 }); // small batches: rotation spans several
  dirOf.set(store, dir);
  return store;
}

const test = storeConformance('LevelDB (key file)', {
  fresh: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shippi-store-'));
    dirs.push(dir);
    return openIn(join(dir, 'state'));
  },
  reopen: async (store) => {
    await store.close();
    return openIn(dirOf.get(store)!);
  },
  cleanup: async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  },
});
test.run();
