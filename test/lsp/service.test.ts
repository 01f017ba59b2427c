/** The language service with a fake client: settings, config layering, baselines, code actions, hovers. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { never } from '../../server/engine/index.js';
import type { LspClient } from '../../server/lsp/client.js';
import { toLspSeverity } from '../../server/lsp/convert.js';
import { createService } from '../../server/lsp/service.js';
import { mergeEngineConfig, parseEditorSettings } from '../../server/lsp/settings.js';

/** A fake client that records what the service tells the editor. */
function fakeClient() {
  const messages: string[] = [];
  const client: LspClient = {
    publishDiagnostics: () => undefined,
    showMessage: (_type, message) => messages.push(message),
    log: () => undefined,
    showDocument: async () => false,
    refreshDiagnostics: () => undefined,
  };
  return { client, messages };
}

const features = { versionedEdits: false, pullDiagnostics: false };
const doc = (uri: string, text: string, languageId = 'javascript', version = 1) => TextDocument.create(uri, languageId, version, text);

test('severities map critical/high → Error, medium → Warning, low → Information, info → Hint', () => {
  assert.equal((['critical', 'high', 'medium', 'low', 'info'] as const).map(toLspSeverity), [1, 1, 2, 3, 4]);
});

test('editor settings accept the `shippi` section, the bare section, and Neovim\'s empty-table `[]`', () => {
  assert.equal(parseEditorSettings({ shippi: { debounceMs: 5 } }), { ok: true, settings: { debounceMs: 5 } });
  assert.equal(parseEditorSettings({ debounceMs: 5 }), { ok: true, settings: { debounceMs: 5 } });
  assert.equal(parseEditorSettings([]), { ok: true, settings: {} });
  assert.equal(parseEditorSettings({ shippi: [] }), { ok: true, settings: {} });
  const bad = parseEditorSettings({ shippi: { debounceMs: -1 } });
  assert.is(bad.ok, false);
  assert.match((bad as { message: string }).message, /debounceMs/);
});

test('the project config wins over editor settings rule by rule', () => {
  const merged = mergeEngineConfig(
    { rules: { 'unicode.bidi-control': 'off', 'unicode.tag-characters': 'low' }, only: ['unicode'] },
    { rules: { 'unicode.bidi-control': 'high' } },
  );
  assert.equal(merged, { rules: { 'unicode.bidi-control': 'high', 'unicode.tag-characters': 'low' }, only: ['unicode'] });
});

test('the language comes from the file name, else from the editor\'s language id', () => {
  const { client } = fakeClient();
  const service = createService({ client, features, roots: [] });
  // An untitled buffer has no extension; its language id makes the suppression comment use `//`
  // (plain text would get `#`).
  const d = doc('untitled:Untitled-1', 'x = "\u202E"\n', 'typescriptreact');
  const actions = service.codeActions(d, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, { diagnostics: [] }, never);
  const suppress = actions.find((a) => a.title.startsWith('Suppress unicode.bidi-control on this line'));
  assert.match(JSON.stringify(suppress?.edit), /"\/\/ shippi-ignore-next-line unicode.bidi-control/);
});

test('a bad setting is reported once and the previous settings stay', () => {
  const { client, messages } = fakeClient();
  const service = createService({ client, features, roots: [] });
  assert.is(service.updateSettings({ debounceMs: 42 }), true);
  assert.is(service.updateSettings({ debounceMs: 'soon' }), false);
  assert.is(service.updateSettings({ debounceMs: 'soon' }), false);
  assert.is(messages.length, 1);
  assert.is(service.effective.debounceMs, 42);
});

test('the debounce grows with the document size', () => {
  const { client } = fakeClient();
  const service = createService({ client, features, roots: [] });
  const small = service.debounceFor(doc('file:///s.js', 'x'));
  const big = service.debounceFor(doc('file:///b.js', 'x'.repeat(1_000_000)));
  assert.ok(big > small, `${big} > ${small}`);
});

test('findings in the project baseline are not reported; other findings in the file still are', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shippi-svc-'));
  try {
    const { client } = fakeClient();
    const service = createService({ client, features, roots: [dir] });
    await service.reloadProjects();
    const uri = pathToFileURL(join(dir, 'a.js')).href;
    const d = doc(uri, 'a("\u202E");\nb("\u2067");\n');
    const [first, second] = service.report(d, never).findings;
    await service.addToBaseline({ uri, ruleId: first!.ruleId, fingerprint: first!.fingerprint });
    assert.equal(service.report(d, never).findings.map((f) => f.fingerprint), [second!.fingerprint]);
    // A fresh service reads the same baseline file from disk.
    const again = createService({ client, features, roots: [dir] });
    await again.reloadProjects();
    assert.equal(again.report(d, never).findings.map((f) => f.fingerprint), [second!.fingerprint]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed fingerprint or unknown rule is refused before it can corrupt the baseline file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shippi-svc-'));
  try {
    const { client } = fakeClient();
    const service = createService({ client, features, roots: [dir] });
    await service.reloadProjects();
    const uri = pathToFileURL(join(dir, 'a.js')).href;
    let error = '';
    await service.addToBaseline({ uri, ruleId: 'unicode.bidi-control', fingerprint: 'zz' }).catch((e: Error) => (error = e.message));
    assert.match(error, /16 hex digits/);
    await service.addToBaseline({ uri, ruleId: 'nope.nope', fingerprint: '0123456789abcdef' }).catch((e: Error) => (error = e.message));
    assert.match(error, /unknown rule/);
    assert.is(existsSync(join(dir, '.shippi-baseline.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad .shippi.json keeps the last good config in force and is reported once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shippi-svc-'));
  try {
    const { client, messages } = fakeClient();
    const service = createService({ client, features, roots: [dir] });
    writeFileSync(join(dir, '.shippi.json'), JSON.stringify({ rules: { 'unicode.bidi-control': 'off' } }));
    await service.reloadProjects();
    const uri = pathToFileURL(join(dir, 'a.js')).href;
    assert.equal(service.report(doc(uri, 'a("\u202E");\n'), never).findings, []);
    writeFileSync(join(dir, '.shippi.json'), JSON.stringify({ rules: { 'unicode.bidi-control': 'sometimes' } }));
    await service.reloadProjects();
    await service.reloadProjects();
    assert.equal(service.report(doc(uri, 'a("\u202E");\n', 'javascript', 2), never).findings, []);
    assert.is(messages.length, 1);
    assert.match(messages[0]!, /\.shippi\.json: rules\.unicode\.bidi-control/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a document over maxDocumentBytes gets one informational note and no analysis', () => {
  const { client } = fakeClient();
  const service = createService({ client, features, roots: [] });
  service.updateSettings({ maxDocumentBytes: 10 });
  const report = service.report(doc('file:///big.js', `"\u202E" + 12345678901234567890`), never);
  assert.equal(report.findings, []);
  assert.is(report.diagnostics.length, 1);
  assert.is(report.diagnostics[0]!.severity, 3);
  assert.match(String(report.diagnostics[0]!.message), /maxDocumentBytes/);
});

test('the project\'s maxFileBytes caps open documents too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shippi-svc-'));
  try {
    writeFileSync(join(dir, '.shippi.json'), JSON.stringify({ maxFileBytes: 16 }));
    const { client } = fakeClient();
    const service = createService({ client, features, roots: [dir] });
    await service.reloadProjects();
    const inside = service.report(doc(pathToFileURL(join(dir, 'a.js')).href, `"\u202E" + 12345678901234567890`), never);
    assert.match(String(inside.diagnostics[0]?.message), /maxFileBytes in \.shippi\.json/);
    const outside = service.report(doc('file:///elsewhere/a.js', `"\u202E" + 12345678901234567890`), never);
    assert.equal(outside.findings.map((f) => f.ruleId), ['unicode.bidi-control']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hover is null away from findings', () => {
  const { client } = fakeClient();
  const service = createService({ client, features, roots: [] });
  assert.is(service.hover(doc('file:///h.js', 'const a = 1;\n'), { line: 0, character: 3 }, never), null);
});

test.run();
