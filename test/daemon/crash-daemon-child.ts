/** A daemon process for the kill -9 tests: `node crash-daemon-child.mjs STATE_DIR` (bundled by the test). */
import { runDaemonForeground } from '../../daemon/main.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-daemon-child STATE_DIR');
await runDaemonForeground({
  stateDir: dir,
  listen: { host: '127.0.0.1', port: 0 },
  rateLimit: { burst: 1e9, perSecond: 1e9 },
  version: 'crash-test',
});
