// The rules reference and the config JSON Schema are generated from the registry and the zod schema; the
// committed copies must match, so docs, SARIF and editors all read the same metadata.
// Regenerate both with: SHIPPI_UPDATE=1 node test/run.mjs generated
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_RULES } from '../../server/engine/index.js';
import { projectConfigJsonSchema } from '../../server/workspace/config-json-schema.js';
import { rulesReference } from '../../clients/cli/output/rule-docs.js';

const root = new URL('../../', import.meta.url).pathname;
const update = process.env.SHIPPI_UPDATE === '1';

function checkGenerated(rel: string, expected: string): void {
  const path = `${root}${rel}`;
  if (update) writeFileSync(path, expected);
  let actual = '';
  try {
    actual = readFileSync(path, 'utf8');
  } catch {
    // missing: reported below as a mismatch
  }
  assert.ok(actual === expected, `${rel} is out of date: run SHIPPI_UPDATE=1 node test/run.mjs generated`);
}

test('server/engine/rules/README.md is the generated rules reference', () => {
  checkGenerated('server/engine/rules/README.md', rulesReference());
});

test('the rules reference documents every registered rule under a heading that is its anchor', () => {
  const text = rulesReference();
  for (const rule of ALL_RULES) assert.ok(text.includes(`\n### ${rule.id}\n`), rule.id);
});

test('server/workspace/shippi.schema.json is the JSON Schema generated from the config schema', () => {
  checkGenerated('server/workspace/shippi.schema.json', `${JSON.stringify(projectConfigJsonSchema(), null, 2)}\n`);
});

test.run();
