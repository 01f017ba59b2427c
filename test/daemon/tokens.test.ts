import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../daemon/store/index.js';
import { TokenRegistry } from '../../daemon/auth/tokens.js';
import { MemoryAudit } from './server-harness.js';

test('the owner tokens are the ones the daemon marked, whatever other tokens are named', async () => {
  const tokens = await TokenRegistry.open({ store: createMemoryStore(), audit: new MemoryAudit() });
  const issued = await tokens.create('admin', 'owner', 'system', { owner: true });
  await tokens.create('admin', 'owner', 'k_someone');
  await tokens.create('viewer', 'ci', 'k_someone');
  assert.equal(tokens.ownerTokens().map((t) => t.id), [issued.info.id]);
  // The mark stays internal: clients see the same fields for every token.
  assert.equal(Object.keys(tokens.list()[0]!).sort(), ['created', 'id', 'name', 'role']);
});

test('in a store written before tokens were marked, admin tokens named owner are taken for the owner token', async () => {
  const store = createMemoryStore();
  const audit = new MemoryAudit();
  const old = await TokenRegistry.open({ store, audit });
  const legacy = await old.create('admin', 'owner', 'system');
  await old.create('viewer', 'owner', 'system');
  const reopened = await TokenRegistry.open({ store, audit });
  assert.equal(reopened.ownerTokens().map((t) => t.id), [legacy.info.id]);
});

test.run();
