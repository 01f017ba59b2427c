/** Robustness over real stdio: huge documents, malformed params and messages; the server keeps serving. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { built, LspProcess } from './harness.js';
import { BIDI } from './util.js';

let s: LspProcess;

test.before(async () => {
  if (!built()) throw new Error('dist/shippi.js is missing: run `npm run build` first');
  s = new LspProcess();
  await s.initialize();
});

test.after(async () => {
  assert.is(await s.stop(), 0, 'still alive and exits cleanly after everything');
  assert.equal(s.garbage, []);
});

test('a 10 MB document degrades to a note, a 5 MB single JS line gets text rules and a note, and a small document stays served', async () => {
  const big = 'file:///tmp/big.js';
  const line = 'const value = compute(input) + other; // filler\n';
  s.open(big, line.repeat(Math.ceil(10_000_000 / line.length)));
  const longLine = 'file:///tmp/line.js';
  s.open(longLine, `var x = "${'x'.repeat(5_000_000)}${BIDI}";`);
  const small = 'file:///tmp/small.js';
  s.open(small, `ok${BIDI}\n`);
  // The small document gets its diagnostics and answers a hover while the big ones are open.
  assert.equal((await s.diagnostics(small, { timeoutMs: 20_000 })).map((d) => d.code), ['unicode.bidi-control']);
  const hover = await s.request('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 2 } }, 20_000);
  assert.match(hover.result.contents.value, /bidi-control/);
  const bigDiags = await s.diagnostics(big, { timeoutMs: 20_000 });
  assert.is(bigDiags.length, 1);
  assert.is(bigDiags[0].severity, 3);
  assert.match(bigDiags[0].message, /did not analyse this document: 9\.\d MB is over/);
  const lineDiags = await s.diagnostics(longLine, { timeoutMs: 20_000 });
  assert.ok(lineDiags.some((d) => d.code === 'unicode.bidi-control' && d.range.start.character === 5_000_009), 'text rules still run');
  assert.ok(lineDiags.some((d) => d.severity === 3 && d.code === undefined), 'a note says the JS analysis was skipped');
  s.notify('textDocument/didClose', { textDocument: { uri: big } });
  s.notify('textDocument/didClose', { textDocument: { uri: longLine } });
});

test('malformed params get InvalidParams (-32602), not a crash', async () => {
  const cases: [string, unknown][] = [
    ['textDocument/hover', { position: { line: 0, character: 0 } }],
    ['textDocument/hover', { textDocument: { uri: 'file:///tmp/small.js' }, position: { line: -1, character: 'x' } }],
    ['textDocument/codeAction', { textDocument: { uri: 'file:///tmp/small.js' }, range: null, context: { diagnostics: [] } }],
    ['textDocument/codeAction', { textDocument: { uri: 'file:///tmp/small.js' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
    ['textDocument/diagnostic', { textDocument: 7 }],
    ['workspace/executeCommand', { command: 'shippi.addToBaseline', arguments: ['nope'] }],
    ['workspace/executeCommand', { command: 'shippi.nope' }],
  ];
  for (const [method, params] of cases) {
    const r = await s.request(method, params);
    assert.is(r.error?.code, -32602, `${method} ${JSON.stringify(params)} → ${JSON.stringify(r)}`);
  }
});

test('notifications with nonsense (unknown document, missing fields) are ignored and the server keeps working', async () => {
  s.notify('textDocument/didChange', { textDocument: { uri: 'file:///tmp/never-opened.js', version: 3 }, contentChanges: [{ text: 'x' }] });
  s.notify('textDocument/didChange', { nonsense: true });
  s.notify('textDocument/didOpen', {});
  s.notify('textDocument/didClose', { textDocument: { uri: 'file:///tmp/never-opened.js' } });
  s.notify('workspace/didChangeWatchedFiles', { changes: 'no' });
  s.notify('shippi/unknownNotification', {});
  const uri = 'file:///tmp/after.js';
  s.open(uri, `still${BIDI}\n`);
  assert.is((await s.diagnostics(uri)).length, 1);
});

test('a message whose body is not JSON does not take the server down', async () => {
  s.writeRaw('Content-Length: 9\r\n\r\n{not json');
  const r = await s.request('textDocument/hover', { textDocument: { uri: 'file:///tmp/after.js' }, position: { line: 0, character: 5 } });
  assert.match(r.result.contents.value, /bidi-control/);
});

test('initialize without capabilities is an error response, not a crash; odd folders and rootUri are tolerated', async () => {
  const p = new LspProcess();
  try {
    const missing = await p.request('initialize', { processId: null });
    assert.ok(missing.error, 'capabilities are required');
    const r = await p.request('initialize', { processId: null, capabilities: {}, workspaceFolders: [{ name: 'x' }], rootUri: 42 });
    assert.is(r.error, undefined);
    p.notify('initialized', {});
    p.open('file:///tmp/sparse.js', `x${BIDI}\n`);
    assert.is((await p.diagnostics('file:///tmp/sparse.js')).length, 1);
  } finally {
    p.kill();
  }
});

test.run();
