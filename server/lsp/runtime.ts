/**
 * Everything the server needs after `initialize`: the service, the workspace scan and the engine. server.ts
 * imports this module dynamically, so the `initialize` response does not wait for the engine, zod and the
 * rule families to load (the bundle is split at this import).
 */
export { createService, ruleMarkdown, type ShippiService } from './service.js';
export { scanWorkspace } from './workspace-scan.js';
export { CancelledError, ruleById, ruleDocsUrl } from '../engine/index.js';
