import { createMemoryStore } from '../../daemon/store/index.js';
import { storeConformance } from './store-conformance.js';

const test = storeConformance('in-memory', {
  fresh: async () => createMemoryStore(),
  cleanup: async () => undefined,
});
test.run();
