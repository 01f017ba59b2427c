// A secret's value must never be printed whole, in any output format, including the baseline file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shippi, tempTree } from './helpers.js';

// Built at runtime so the repository's own scan stays clean.
const body = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const token = `ghp_${body}`;
const awsId = ['AKIA', 'Q3EGRIHT4ZXL7MWN'].join('');

test('no format prints a secret value whole (and the secret rules do report it once they are registered)', () => {
  const t = tempTree();
  try {
    t.put('config.js', `const token = "${token}";\nconst aws = "${awsId}";\n`);
    t.put('.env', `GITHUB_TOKEN=${token}\n`);
    const secretRules = JSON.parse(shippi(t.root, ['rules', '--format', 'json']).stdout).filter((r: { category: string }) => r.category === 'secret');
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif']) {
      const r = shippi(t.root, ['scan', '.env', 'config.js', '--format', format]);
      assert.ok(r.code === 0 || r.code === 1, `${format}: exit ${r.code}`);
      outputs.push(r.stdout, r.stderr);
    }
    shippi(t.root, ['scan', '.env', 'config.js', '--write-baseline', 'baseline.json']);
    outputs.push(readFileSync(`${t.root}/baseline.json`, 'utf8'));
    for (const out of outputs) {
      assert.ok(!out.includes(body), 'the token body appears in the output');
      assert.ok(!out.includes(awsId), 'the AWS key id appears in the output');
    }
    if (secretRules.length > 0) {
      const json = JSON.parse(shippi(t.root, ['scan', '.env', 'config.js', '--format', 'json']).stdout);
      assert.ok(json.findings.some((f: { category: string; file: string }) => f.category === 'secret' && f.file === 'config.js'), 'the GitHub token is reported');
    }
  } finally {
    t.cleanup();
  }
});

test.run();
