/** LSP lifecycle over real stdio: errors before initialize and after shutdown, exit codes, clean stdout. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, LspProcess } from './harness.js';

const hover = { textDocument: { uri: 'file:///tmp/a.js' }, position: { line: 0, character: 0 } };

test.before(() => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
});

test('a request before initialize gets ServerNotInitialized (-32002), even for an unknown method', async () => {
  const s = new LspProcess();
  try {
    assert.is((await s.request('textDocument/hover', hover)).error?.code, -32002);
    assert.is((await s.request('shippi/unknown', {})).error?.code, -32002);
    assert.ok((await s.initialize()).result?.capabilities, 'initialize still works afterwards');
  } finally {
    s.kill();
  }
});

test('notifications before initialize are dropped without harm; a document opened early is analysed after', async () => {
  const s = new LspProcess();
  try {
    s.open('file:///tmp/early.js', 'x\u202E\n');
    s.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///tmp/.shippi.json', type: 2 }] });
    s.notify('workspace/didChangeConfiguration', { settings: {} });
    assert.ok((await s.initialize()).result?.capabilities);
    assert.equal((await s.diagnostics('file:///tmp/early.js')).map((d) => d.code), ['unicode.bidi-control']);
    assert.is(s.stderr, '');
  } finally {
    s.kill();
  }
});

test('initialize announces incremental sync, quick fixes, hover and the commands', async () => {
  const s = new LspProcess();
  try {
    const caps = (await s.initialize()).result.capabilities;
    assert.is(caps.textDocumentSync.change, 2);
    assert.equal(caps.codeActionProvider.codeActionKinds, ['quickfix']);
    assert.is(caps.hoverProvider, true);
    assert.equal(caps.executeCommandProvider.commands.sort(), ['shippi.addToBaseline', 'shippi.clearResults', 'shippi.scanWorkspace', 'shippi.showRuleDocs']);
    assert.is(caps.diagnosticProvider, undefined, 'no pull diagnostics for a client that does not offer them');
  } finally {
    s.kill();
  }
});

test('an unknown method after initialize is MethodNotFound (-32601) and the server keeps working', async () => {
  const s = new LspProcess();
  try {
    await s.initialize();
    assert.is((await s.request('shippi/unknown', {})).error?.code, -32601);
    assert.is((await s.request('textDocument/hover', hover)).result, null);
  } finally {
    s.kill();
  }
});

test('after shutdown requests get InvalidRequest (-32600) and exit ends with code 0', async () => {
  const s = new LspProcess();
  await s.initialize();
  assert.is((await s.request('shutdown')).result, null);
  assert.is((await s.request('textDocument/hover', hover)).error?.code, -32600);
  s.notify('exit');
  assert.is(await s.exitCode(5000), 0);
  assert.equal(s.garbage, [], 'nothing but protocol messages on stdout');
  assert.is(s.stderr, '');
});

test('exit without shutdown ends with code 1', async () => {
  const s = new LspProcess();
  await s.initialize();
  s.notify('exit');
  assert.is(await s.exitCode(5000), 1);
});

test('the client closing stdin without shutdown ends the server with code 1', async () => {
  const s = new LspProcess();
  await s.initialize();
  s.closeInput();
  assert.is(await s.exitCode(5000), 1);
});

test('lsp without --stdio is a usage error (exit 2) that names the problem', async () => {
  const s = new LspProcess({ args: [] });
  assert.is(await s.exitCode(5000), 2);
  assert.match(s.stderr, /--stdio is required/);
});

test.run();
