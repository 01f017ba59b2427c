/**
 * The file the editor tests open: a planted hard-coded secret, an SQL injection and a Trojan Source control
 * character, the rule codes the editor must show, and the code whose quick fix the editor applies. The
 * secret is assembled at runtime so this repository's own scan stays clean, and never printed.
 */
import { spawnSync } from 'node:child_process';
import { ruleById, scan } from '../../server/engine/index.js';

/** A planted file: its text, the rule codes that must appear, the code to fix, and the secret (never print it). */
export interface Planted {
  readonly name: string;
  readonly text: string;
  readonly expect: readonly string[];
  readonly fixCode: string;
  readonly secret: string;
}

const REQUIRED = ['secret.stripe-secret-key', 'injection.sql', 'unicode.bidi-control'];

/** The planted JS file. Expected codes are exactly what the engine reports, which must include REQUIRED. */
export function plantedJs(): Planted {
  for (const id of REQUIRED) if (!ruleById(id)) throw new Error(`planted rule ${id} is not registered`);
  const secret = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc9x'].join('_');
  const text = [
    `const stripeKey = "${secret}";`,
    'export async function find(db, req) {',
    '  return db.query("SELECT * FROM users WHERE id = " + req.query.id);',
    '}',
    'export function check(accessLevel) {',
    '  if (accessLevel != "user\u202E") { return true; }',
    '  return false;',
    '}',
    '',
  ].join('\n');
  const expect = [...new Set(scan(text, { path: 'planted.js' }).map((f) => f.ruleId))].sort();
  const missing = REQUIRED.filter((id) => !expect.includes(id));
  if (missing.length) throw new Error(`the engine no longer finds ${missing.join(', ')} in the planted file`);
  return { name: 'planted.js', text, expect, fixCode: 'secret.stripe-secret-key', secret };
}

/** Whether a program is on PATH. */
export function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}
