/**
 * Every rule's documented bad example, through the language service: where the rule offers a fix, the quick
 * fix as a WorkspaceEdit (UTF-16 positions, applied as an editor would) removes that finding on re-scan.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ALL_RULES, never, type Language } from '../../server/engine/index.js';
import type { LspClient } from '../../server/lsp/client.js';
import { createService } from '../../server/lsp/service.js';
import { applyLspEdits, editsFor } from './util.js';

const client: LspClient = {
  publishDiagnostics: () => undefined, showMessage: () => undefined, log: () => undefined,
  showDocument: async () => false, refreshDiagnostics: () => undefined,
};
const service = createService({ client, features: { versionedEdits: true, pullDiagnostics: false }, roots: [] });

const FILE_FOR: Partial<Record<Language, string>> = {
  javascript: 'example.js', typescript: 'example.ts', python: 'example.py', shell: 'example.sh', go: 'example.go',
  java: 'Example.java', yaml: 'example.yaml', json: 'example.json', markdown: 'README.md', dockerfile: 'Dockerfile',
  'github-actions': '.github/workflows/ci.yml', 'gitlab-ci': '.gitlab-ci.yml', dotenv: '.env', ruby: 'example.rb',
  php: 'example.php', terraform: 'main.tf', html: 'index.html', toml: 'example.toml', ini: 'example.ini',
  properties: 'example.properties', xml: 'example.xml', sql: 'example.sql', csharp: 'Example.cs', rust: 'example.rs',
};

let version = 0;
let checked = 0;
for (const rule of ALL_RULES) {
  rule.examples.forEach((example, i) => {
    const file = FILE_FOR[example.language] ?? `example.${example.language}`;
    const uri = `file:///fixes/${rule.id}/${i}/${file}`;
    const doc = TextDocument.create(uri, example.language, ++version, example.bad);
    const report = service.report(doc, never);
    const before = report.findings.filter((f) => f.ruleId === rule.id);
    const fixable = before.find((f) => f.fix);
    if (!fixable) return; // only examples whose finding has a mechanical fix become tests
    checked++;
    test(`${rule.id} example ${i + 1}: the quick fix, applied as an editor would, removes the finding`, () => {
      const diagnostic = report.diagnostics.find((d) => (d.data as { fingerprint: string }).fingerprint === fixable.fingerprint)!;
      const actions = service.codeActions(doc, diagnostic.range, { diagnostics: [diagnostic] }, never);
      const preferred = actions.find((a) => a.isPreferred);
      assert.ok(preferred?.edit, `no preferred quick fix for ${rule.id}`);
      const fixed = applyLspEdits(example.bad, editsFor(preferred!.edit, uri));
      const after = service.report(TextDocument.create(uri, example.language, ++version, fixed), never).findings;
      assert.is(after.some((f) => f.fingerprint === fixable.fingerprint), false, `${rule.id}: the fixed finding is still reported`);
      assert.ok(after.filter((f) => f.ruleId === rule.id).length < before.length, `${rule.id}: no fewer findings after the fix`);
    });
  });
}

test('examples of several rules have quick fixes to check', () => {
  assert.ok(checked >= 5, `only ${checked}`);
});

test.run();
