/** The per-document debounce: later edits cancel earlier work; stale versions are never run to publish. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticScheduler } from '../../server/lsp/scheduler.js';

/** A fake host: documents in a map, a fixed delay, and a log of what ran (and whether it was cancelled). */
function host(delay: number) {
  const docs = new Map<string, TextDocument>();
  const runs: { uri: string; version: number; token: { isCancellationRequested: boolean } }[] = [];
  let resolveRun: () => void = () => undefined;
  const ran = () => new Promise<void>((r) => (resolveRun = r));
  const scheduler = new DiagnosticScheduler({
    document: (uri) => docs.get(uri),
    delayFor: () => delay,
    run: (doc, token) => {
      runs.push({ uri: doc.uri, version: doc.version, token });
      resolveRun();
    },
    onError: () => undefined,
  });
  const set = (uri: string, version: number) => docs.set(uri, TextDocument.create(uri, 'javascript', version, `v${version}`));
  return { docs, runs, ran, scheduler, set };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a burst of edits runs the analysis once, for the last version', async () => {
  const h = host(20);
  for (let v = 1; v <= 10; v++) {
    h.set('file:///a.js', v);
    h.scheduler.schedule('file:///a.js');
  }
  await h.ran();
  await tick(40);
  assert.equal(h.runs.map((r) => r.version), [10]);
});

test('documents are debounced independently', async () => {
  const h = host(10);
  h.set('file:///a.js', 1);
  h.set('file:///b.js', 1);
  h.scheduler.schedule('file:///a.js');
  h.scheduler.schedule('file:///b.js');
  await tick(50);
  assert.equal(h.runs.map((r) => r.uri).sort(), ['file:///a.js', 'file:///b.js']);
});

test('an edit cancels the token of work already in flight for that document', async () => {
  const h = host(0);
  h.set('file:///a.js', 1);
  h.scheduler.schedule('file:///a.js', true);
  await h.ran();
  const first = h.runs[0]!.token;
  assert.is(first.isCancellationRequested, false);
  h.set('file:///a.js', 2);
  h.scheduler.schedule('file:///a.js');
  assert.is(first.isCancellationRequested, true);
});

test('cancel (close) stops a pending run; a closed document never runs', async () => {
  const h = host(10);
  h.set('file:///a.js', 1);
  h.scheduler.schedule('file:///a.js');
  h.scheduler.cancel('file:///a.js');
  h.docs.delete('file:///a.js');
  await tick(40);
  assert.equal(h.runs, []);
});

test('a run that throws is reported and later runs still happen', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const docs = new Map([['file:///a.js', TextDocument.create('file:///a.js', 'javascript', 1, '')]]);
  const scheduler = new DiagnosticScheduler({
    document: (uri) => docs.get(uri),
    delayFor: () => 0,
    run: () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    },
    onError: (err) => errors.push(err),
  });
  scheduler.schedule('file:///a.js');
  await tick(20);
  scheduler.schedule('file:///a.js');
  await tick(20);
  assert.is(calls, 2);
  assert.equal(errors.map((e) => (e as Error).message), ['boom']);
});

test('dispose cancels everything pending', async () => {
  const h = host(10);
  h.set('file:///a.js', 1);
  h.scheduler.schedule('file:///a.js');
  h.scheduler.dispose();
  await tick(40);
  assert.equal(h.runs, []);
});

test.run();
