/** Build step: `node dist/write-trigger-tables.js OUT` saves every trigger automaton's table (see trigger-tables.ts). */
import { writeTriggerTables } from './trigger-tables.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: write-trigger-tables OUT\n');
  process.exit(2);
}
const { tables, states, bytes } = writeTriggerTables(out);
process.stdout.write(`trigger tables: ${tables} automata, ${states} states, ${(bytes / 1024).toFixed(0)} KiB → ${out}\n`);
