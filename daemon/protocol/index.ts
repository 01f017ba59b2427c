/** The daemon's wire protocol: schemas, types, parsing and the typed error. Clients import only this. */
export * from './messages.js';
export { parseFrame } from './parse.js';
export type { ParsedFrame } from './parse.js';
export { DaemonError } from './errors.js';
