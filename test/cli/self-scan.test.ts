// Shippi scans its own repository clean: the README's first command must print "no findings" and exit 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { shippi } from './helpers.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test('shippi scan . on this repository finds nothing and exits 0', () => {
  const r = shippi(repo, ['scan', '.', '--format', 'json']);
  const report = JSON.parse(r.stdout) as { findings: { file: string; line: number; ruleId: string }[]; stats: { files: number } };
  assert.equal(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`), []);
  assert.is(r.code, 0, r.stderr);
  assert.ok(report.stats.files > 100, `only ${report.stats.files} files were scanned`);
});

test.run();
