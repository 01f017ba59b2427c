/** The daemon's websocket server: listening plan, upgrade checks, handlers. */
export { startServer } from './server.js';
export type { DaemonServer, ServerOptions } from './server.js';
export { planListen } from './listen.js';
export type { ListenConfig, ListenPlan } from './listen.js';
export { checkUpgrade } from './upgrade.js';
export type { UpgradeVerdict } from './upgrade.js';
export type { ServerServices } from './handlers.js';
