/** Push and pull diagnostics over real stdio: shape, incremental sync, edit storms, close, positions. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ruleDocsUrl } from '../../server/engine/index.js';
import { built, LspProcess } from './harness.js';
import { BIDI, ZWSP } from './util.js';

let s: LspProcess;

test.before(async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  s = new LspProcess();
  await s.initialize();
});

test.after(async () => {
  const code = await s.stop();
  assert.is(code, 0);
  assert.equal(s.garbage, [], 'nothing but protocol messages on stdout');
});

test('opening a document publishes diagnostics with source, rule code, docs link, mapped severity and fingerprint', async () => {
  const uri = 'file:///tmp/shape.js';
  s.open(uri, `const is${ZWSP}Admin = 1;\nif (level != "user${BIDI}") {}\n`);
  const diags = await s.diagnostics(uri, { version: 1 });
  assert.equal(diags.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), [
    ['unicode.invisible-character', 2, 0, 8], // medium → Warning
    ['unicode.bidi-control', 1, 1, 18], // high → Error
  ]);
  for (const d of diags) {
    assert.is(d.source, 'shippi');
    assert.is(d.codeDescription.href, ruleDocsUrl(d.code));
    assert.match(d.data.fingerprint, /^[0-9a-f]{16}$/);
  }
});

test('a hard-coded secret is reported without its value anywhere in the diagnostic, hover or code actions', async () => {
  const secret = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc9x'].join('_');
  const uri = 'file:///tmp/secret.js';
  s.open(uri, `const stripeKey = "${secret}";\n`);
  const diags = await s.diagnostics(uri, { version: 1 });
  assert.equal(diags.map((d) => d.code), ['secret.stripe-secret-key']);
  assert.is(diags[0].severity, 1);
  assert.is(JSON.stringify(diags).includes(secret), false, 'no diagnostic field holds the secret');
  const hover = await s.request('textDocument/hover', { textDocument: { uri }, position: diags[0].range.start });
  assert.is(JSON.stringify(hover).includes(secret), false, 'the hover does not hold the secret');
  const actions = await s.request('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } });
  assert.ok(actions.result.length >= 2);
  assert.is(JSON.stringify(actions).includes(secret), false, 'no action title or edit holds the secret');
});

test('positions are UTF-16 code units: a finding after an emoji starts at character 2', async () => {
  const uri = 'file:///tmp/emoji.md';
  s.open(uri, `😀${BIDI}x\n`, 'markdown');
  const [d] = await s.diagnostics(uri);
  assert.equal(d.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
});

test('an incremental edit that removes the character clears the diagnostic for that version', async () => {
  const uri = 'file:///tmp/incremental.js';
  s.open(uri, `let a = 1;\nlet b${ZWSP} = 2;\n`);
  assert.is((await s.diagnostics(uri, { version: 1 })).length, 1);
  s.notify('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 5 }, end: { line: 1, character: 6 } }, text: '' }],
  });
  assert.equal(await s.diagnostics(uri, { version: 2 }), []);
});

test('an edit storm publishes only the last version\'s diagnostics', async () => {
  // A long debounce, so even a badly overloaded machine delivers the whole storm inside one debounce window.
  const p = new LspProcess();
  try {
    await p.initialize({ initializationOptions: { debounceMs: 1000 } });
    const uri = 'file:///tmp/storm.js';
    p.open(uri, 'let x = 0;\n');
    await p.diagnostics(uri, { version: 1 });
    const since = p.notifications.length;
    let text = 'let x = 0;\n';
    const last = 41;
    for (let v = 2; v <= last; v++) {
      // Alternate between clean and flagged text, so a stale publish would show as a wrong count.
      const insert = v % 2 === 0 ? ZWSP : 'y';
      text += `z${insert}\n`;
      p.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    }
    const diags = await p.diagnostics(uri, { version: last, since });
    assert.is(diags.length, 20, 'the 20 even versions each added one zero-width space');
    const published = p.notifications.slice(since).filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    assert.equal(published.map((m) => m.params.version), [last]);
  } finally {
    p.kill();
  }
});

test('closing a document publishes an empty list', async () => {
  const uri = 'file:///tmp/close.js';
  s.open(uri, `x${BIDI}\n`);
  assert.is((await s.diagnostics(uri)).length, 1);
  const since = s.notifications.length;
  s.notify('textDocument/didClose', { textDocument: { uri } });
  assert.equal(await s.diagnostics(uri, { since }), []);
});

test('hover on a finding explains it: title, CWE, OWASP and how to fix', async () => {
  const uri = 'file:///tmp/hover.js';
  s.open(uri, `const ok = "a${BIDI}b";\n`);
  await s.diagnostics(uri);
  const r = await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 13 } });
  const md: string = r.result.contents.value;
  assert.is(r.result.contents.kind, 'markdown');
  assert.match(md, /unicode\.bidi-control/);
  assert.match(md, /CWE-451/);
  assert.match(md, /A04:2021/);
  assert.match(md, /\*\*How to fix:\*\*/);
  const away = await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
  assert.is(away.result, null);
});

test('positions past the end of a line or inside a surrogate pair are answered, not errors', async () => {
  const uri = 'file:///tmp/edge.md';
  s.open(uri, `😀${ZWSP}\nshort\n`, 'markdown');
  await s.diagnostics(uri);
  const past = await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 500 } });
  assert.is(past.error, undefined);
  const inside = await s.request('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, context: { diagnostics: [] },
  });
  assert.is(inside.error, undefined);
  const beyond = await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 99, character: 0 } });
  assert.is(beyond.error, undefined);
  // An edit whose range runs past the end of the line is clamped by the document, as LSP specifies.
  s.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 99 } }, text: 'clean' }] });
  assert.equal(await s.diagnostics(uri, { version: 2 }), []);
});

test('a client that offers pull diagnostics gets a diagnosticProvider and full reports', async () => {
  const p = new LspProcess();
  try {
    const init = await p.initialize({ capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } });
    assert.is(init.result.capabilities.diagnosticProvider.interFileDependencies, false);
    const uri = 'file:///tmp/pull.js';
    p.open(uri, `a${BIDI}\n`);
    const r = await p.request('textDocument/diagnostic', { textDocument: { uri } });
    assert.is(r.result.kind, 'full');
    assert.equal(r.result.items.map((d: any) => d.code), ['unicode.bidi-control']);
    const again = await p.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: r.result.resultId });
    assert.equal(again.result, { kind: 'unchanged', resultId: r.result.resultId });
    p.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'clean\n' }] });
    const changed = await p.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: r.result.resultId });
    assert.equal([changed.result.kind, changed.result.items], ['full', []]);
    // Push still happens: Neovim 0.7 and eglot only read pushed diagnostics.
    assert.is((await p.diagnostics(uri)).length, 1);
  } finally {
    p.kill();
  }
});

test('initializationOptions turn a rule off', async () => {
  const p = new LspProcess();
  try {
    await p.initialize({ initializationOptions: { rules: { 'unicode.bidi-control': 'off' } } });
    const uri = 'file:///tmp/off.js';
    p.open(uri, `a${BIDI}b${ZWSP}\n`);
    assert.equal((await p.diagnostics(uri)).map((d) => d.code), ['unicode.invisible-character']);
  } finally {
    p.kill();
  }
});

test('didChangeConfiguration applies new settings; a bad setting is reported once and the last good stays', async () => {
  const p = new LspProcess();
  try {
    await p.initialize();
    const uri = 'file:///tmp/settings.js';
    p.open(uri, `a${BIDI}\n`);
    assert.is((await p.diagnostics(uri)).length, 1);
    let since = p.notifications.length;
    p.notify('workspace/didChangeConfiguration', { settings: { shippi: { rules: { 'unicode.bidi-control': 'low' } } } });
    assert.equal((await p.diagnostics(uri, { since })).map((d) => d.severity), [3]);
    since = p.notifications.length;
    p.notify('workspace/didChangeConfiguration', { settings: { shippi: { rulez: {} } } });
    p.notify('workspace/didChangeConfiguration', { settings: { shippi: { rulez: {} } } });
    const shown = await p.waitFor((m) => m.method === 'window/showMessage', 5000, since);
    assert.match(shown.params.message, /rulez/);
    // The next analysis still uses the low severity from the last good settings.
    p.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `b${BIDI}\n` }] });
    assert.equal((await p.diagnostics(uri, { version: 2 })).map((d) => d.severity), [3]);
    assert.is(p.notifications.slice(since).filter((m) => m.method === 'window/showMessage').length, 1, 'reported once');
  } finally {
    p.kill();
  }
});

test('didChangeConfiguration with null settings makes the server ask workspace/configuration for "shippi"', async () => {
  const p = new LspProcess();
  try {
    await p.initialize({ capabilities: { workspace: { configuration: true } }, initializationOptions: { rules: { 'unicode.bidi-control': 'off' } } });
    const uri = 'file:///tmp/pullconfig.js';
    p.open(uri, `a${BIDI}\n`);
    assert.equal(await p.diagnostics(uri, { version: 1 }), []);
    p.configuration = { rules: { 'unicode.bidi-control': 'low' } };
    const since = p.notifications.length;
    p.notify('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await p.diagnostics(uri, { since })).map((d) => [d.code, d.severity]), [['unicode.bidi-control', 3]]);
    const asked = p.serverRequests.find((m) => m.method === 'workspace/configuration');
    assert.equal(asked?.params.items, [{ section: 'shippi' }]);
  } finally {
    p.kill();
  }
});

test('a blank didChangeConfiguration (as eglot sends after initialize) keeps the initializationOptions', async () => {
  const p = new LspProcess();
  try {
    await p.initialize({ capabilities: { workspace: { configuration: true } }, initializationOptions: { rules: { 'unicode.bidi-control': 'off' } } });
    p.notify('workspace/didChangeConfiguration', { settings: null });
    p.notify('workspace/didChangeConfiguration', { settings: {} });
    p.notify('workspace/didChangeConfiguration', { settings: [] });
    const uri = 'file:///tmp/blankconfig.js';
    // Wait for the configuration round trips, then open: the rule must still be off.
    await p.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    p.open(uri, `a${BIDI}b${ZWSP}\n`);
    assert.equal((await p.diagnostics(uri, { version: 1 })).map((d) => d.code), ['unicode.invisible-character']);
  } finally {
    p.kill();
  }
});

test.run();
