/**
 * The file the editor tests open: planted problems the engine must find, the rule codes expected, and the
 * code whose quick fix the editor applies. Rule ids are checked against the registry, so a renamed rule
 * fails here rather than silently passing.
 */
import { spawnSync } from 'node:child_process';
import { ruleById } from '../../server/engine/index.js';

/** A planted file: its text, the rule codes that must appear, and the code to fix through the editor. */
export interface Planted {
  readonly name: string;
  readonly text: string;
  readonly expect: readonly string[];
  readonly fixCode: string;
}

/** A JS file with a Trojan Source bidi control (fixable) and a Cyrillic look-alike identifier. */
export function plantedJs(): Planted {
  const expect = ['unicode.bidi-control', 'unicode.mixed-script-identifier'];
  for (const id of expect) if (!ruleById(id)) throw new Error(`planted rule ${id} is not registered`);
  const text = [
    'const is\u0410dmin = (user) => user.role === "admin";',
    'function check(accessLevel) {',
    '  if (accessLevel != "user\u202E") { return true; }',
    '  return false;',
    '}',
    '',
  ].join('\n');
  return { name: 'planted.js', text, expect, fixCode: 'unicode.bidi-control' };
}

/** Whether a program is on PATH. */
export function onPath(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}
