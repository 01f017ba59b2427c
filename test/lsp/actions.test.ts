/** Code actions, commands and project files over real stdio, in a temp workspace. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, LspProcess } from './harness.js';
import { applyLspEdits, BIDI, editsFor, tempWorkspace, ZWSP } from './util.js';

let ws: ReturnType<typeof tempWorkspace>;
let s: LspProcess;

test.before(async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  ws = tempWorkspace();
  s = new LspProcess({ cwd: ws.dir });
  await s.initialize({
    rootUri: ws.uri(''),
    capabilities: { workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
  });
});

test.after(async () => {
  await s.stop();
  assert.equal(s.garbage, []);
  ws.cleanup();
});

const wholeLine = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 200 } });

async function actionsAt(uri: string, line: number, diagnostics: any[]): Promise<any[]> {
  const r = await s.request('textDocument/codeAction', { textDocument: { uri }, range: wholeLine(line), context: { diagnostics } });
  assert.is(r.error, undefined);
  return r.result;
}

async function applyAndRescan(uri: string, text: string, edit: any, version: number): Promise<any[]> {
  const fixed = applyLspEdits(text, editsFor(edit, uri));
  s.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: fixed }] });
  return s.diagnostics(uri, { version });
}

test('the rule\'s fix is the preferred quick fix, and applying it clears the finding', async () => {
  const uri = ws.uri('fix.js');
  const text = `const is${ZWSP}Admin = false;\n`;
  s.open(uri, text);
  const diags = await s.diagnostics(uri, { version: 1 });
  const actions = await actionsAt(uri, 0, diags);
  const fix = actions[0];
  assert.is(fix.kind, 'quickfix');
  assert.is(fix.isPreferred, true);
  assert.is(fix.diagnostics[0].code, 'unicode.invisible-character');
  assert.is(fix.edit.documentChanges[0].textDocument.version, 1, 'versioned, so a stale fix is refused');
  assert.equal(await applyAndRescan(uri, text, fix.edit, 2), []);
});

test('"Suppress RULE on this line" inserts an indented suppression comment that silences the rule', async () => {
  const uri = ws.uri('suppress.py');
  const text = `def f():\n    name = "x${BIDI}"\n`;
  s.open(uri, text, 'python');
  const diags = await s.diagnostics(uri, { version: 1 });
  const actions = await actionsAt(uri, 1, diags);
  const suppress = actions.find((a) => a.title === 'Suppress unicode.bidi-control on this line');
  assert.ok(suppress, actions.map((a) => a.title).join(', '));
  const edits = editsFor(suppress.edit, uri);
  assert.is(edits[0].newText, '    # shippi-ignore-next-line unicode.bidi-control -- reason: \n');
  assert.equal(await applyAndRescan(uri, text, suppress.edit, 2), []);
});

test('"Suppress in project baseline" writes the fingerprint to .shippi-baseline.json and the finding goes away', async () => {
  const uri = ws.uri('src/base.js');
  s.open(uri, `let v = "${BIDI}";\n`);
  const [d] = await s.diagnostics(uri, { version: 1 });
  const actions = await actionsAt(uri, 0, [d]);
  const baseline = actions.find((a) => a.title === 'Suppress unicode.bidi-control in project baseline');
  assert.ok(baseline?.command, 'a command action');
  const since = s.notifications.length;
  const r = await s.request('workspace/executeCommand', baseline.command);
  assert.is(r.error, undefined);
  const file = JSON.parse(readFileSync(join(ws.dir, '.shippi-baseline.json'), 'utf8'));
  assert.equal(file.findings, [{ ruleId: 'unicode.bidi-control', file: 'src/base.js', fingerprint: d.data.fingerprint }]);
  assert.equal(await s.diagnostics(uri, { since }), []);
});

test('a bad .shippi.json is reported once by showMessage and the last good config stays in force', async () => {
  const uri = ws.uri('conf.js');
  s.open(uri, `a${ZWSP}b${BIDI}\n`);
  assert.is((await s.diagnostics(uri, { version: 1 })).length, 2);
  const config = join(ws.dir, '.shippi.json');
  const changed = () => s.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: ws.uri('.shippi.json'), type: 2 }] });
  writeFileSync(config, JSON.stringify({ rules: { 'unicode.invisible-character': 'off' } }));
  let since = s.notifications.length;
  changed();
  assert.equal((await s.diagnostics(uri, { since })).map((d) => d.code), ['unicode.bidi-control']);
  writeFileSync(config, '{ "rules": ');
  since = s.notifications.length;
  changed();
  changed();
  const shown = await s.waitFor((m) => m.method === 'window/showMessage', 5000, since);
  assert.match(shown.params.message, /\.shippi\.json: not valid JSON/);
  assert.equal((await s.diagnostics(uri, { since })).map((d) => d.code), ['unicode.bidi-control'], 'last good config');
  await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.is(s.notifications.slice(since).filter((m) => m.method === 'window/showMessage').length, 1, 'reported once');
  writeFileSync(config, '{}');
  since = s.notifications.length;
  changed();
  // A publish already scheduled under the previous config may land first; the new config must win.
  const restored = await s.waitFor(
    (m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.diagnostics.length === 2,
    10_000,
    since,
  );
  assert.equal(restored.params.diagnostics.map((d: any) => d.code).sort(), ['unicode.bidi-control', 'unicode.invisible-character']);
});

test('the server registers file watchers for .shippi.json and the baseline', () => {
  const reg = s.serverRequests.find((m) => m.method === 'client/registerCapability');
  const watchers = reg?.params.registrations.find((r: any) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions.watchers;
  assert.ok(watchers.some((w: any) => w.globPattern === '**/.shippi.json'));
  assert.ok(watchers.some((w: any) => String(w.globPattern).endsWith('.shippi-baseline.json')));
});

test('shippi.scanWorkspace publishes findings for unopened files, with work-done progress; clearResults clears them', async () => {
  // A line with a character outside the BMP first: LSP columns count UTF-16 code units.
  writeFileSync(join(ws.dir, 'unopened.md'), `intro\n# 😀 Title${BIDI}\n`);
  const since = s.notifications.length;
  const r = await s.request('workspace/executeCommand', { command: 'shippi.scanWorkspace', arguments: [] });
  assert.is(r.error, undefined);
  assert.ok(r.result.files >= 1);
  const uri = ws.uri('unopened.md');
  const published = await s.diagnostics(uri, { since });
  assert.equal(published.map((d) => d.code), ['unicode.bidi-control']);
  assert.equal(published[0]!.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } });
  const progress = s.notifications.slice(since).filter((m) => m.method === '$/progress').map((m) => m.params.value.kind);
  assert.is(progress[0], 'begin');
  assert.is(progress[progress.length - 1], 'end');
  const cleared = s.notifications.length;
  await s.request('workspace/executeCommand', { command: 'shippi.clearResults' });
  assert.equal(await s.diagnostics(uri, { since: cleared }), []);
});

test('a cancelled shippi.scanWorkspace answers RequestCancelled (-32800) and ends its progress', async () => {
  const since = s.notifications.length;
  const r = await s.requestThenCancel('workspace/executeCommand', { command: 'shippi.scanWorkspace', arguments: [] });
  assert.is(r.error?.code, -32800);
  const progress = s.notifications.slice(since).filter((m) => m.method === '$/progress').map((m) => m.params.value.kind);
  assert.is(progress[progress.length - 1], 'end');
});

test('an added workspace folder brings its .shippi.json into force', async () => {
  const other = tempWorkspace();
  try {
    const p = new LspProcess();
    try {
      await p.initialize({ rootUri: ws.uri(''), capabilities: { workspace: { workspaceFolders: true } } });
      writeFileSync(join(other.dir, '.shippi.json'), JSON.stringify({ rules: { 'unicode.bidi-control': 'off' } }));
      const uri = other.uri('b.js');
      p.open(uri, `b${BIDI}\n`);
      assert.equal((await p.diagnostics(uri, { version: 1 })).map((d) => d.code), ['unicode.bidi-control']);
      const since = p.notifications.length;
      p.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: other.uri(''), name: 'other' }], removed: [] } });
      assert.equal(await p.diagnostics(uri, { since }), []);
    } finally {
      p.kill();
    }
  } finally {
    other.cleanup();
  }
});

test('shippi.showRuleDocs returns the rule\'s documentation; an unknown rule is InvalidParams', async () => {
  const r = await s.request('workspace/executeCommand', { command: 'shippi.showRuleDocs', arguments: [{ ruleId: 'unicode.tag-characters' }] });
  assert.match(r.result.markdown, /Hidden text in Unicode tag characters/);
  const bad = await s.request('workspace/executeCommand', { command: 'shippi.showRuleDocs', arguments: [{ ruleId: 'nope.nope' }] });
  assert.is(bad.error?.code, -32602);
});

test.run();
