import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Finding } from '../../server/engine/index.js';
import { ansi, plain, wantsColour } from '../../clients/cli/output/colour.js';
import { createProgress } from '../../clients/cli/output/progress.js';
import type { Report } from '../../clients/cli/output/report.js';
import { formatText } from '../../clients/cli/output/text.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const s = { isTTY, written: '', write(chunk: string) { s.written += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { written: string };
}

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'secret.github-token', category: 'secret', severity: 'critical', message: 'GitHub token', start: 0, end: 4,
  cwe: ['CWE-798'], fingerprint: '0123456789abcdef', redacted: 'ghp_…(40 chars)', ...over,
});

const report = (over: Partial<Report> = {}): Report => ({
  findings: [{ file: 'a.js', location: { line: 3, column: 7, endLine: 3, endColumn: 11 }, finding: finding() }],
  notes: [], skipped: [], stats: { files: 2, bytes: 2_500_000, ms: 42 }, baselined: 0, maxFileBytes: 8 * 1024 * 1024, ...over,
});

test('colour only for a TTY with NO_COLOR unset or empty', () => {
  assert.is(wantsColour({ isTTY: true }, {}), true);
  assert.is(wantsColour({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.is(wantsColour({ isTTY: true }, { NO_COLOR: '' }), true);
  assert.is(wantsColour({ isTTY: false }, {}), false);
  assert.is(wantsColour({}, {}), false);
});

test('the text format shows the redacted secret and a summary with sizes, skipped reasons and the cap', () => {
  const text = formatText(report({ skipped: [{ path: 'x.bin', reason: 'binary' }, { path: 'y.js', reason: 'too large (9 MiB, cap 8 MiB)' }], baselined: 2 }), plain);
  assert.is(text, 'a.js:3:7  critical  secret.github-token  GitHub token (ghp_…(40 chars))\n\n'
    + '1 finding (1 critical) · 2 files, 2.5 MB, 42 ms · 2 hidden by baseline · 2 skipped (1 binary, 1 over the 8 MiB size cap)\n');
});

test('coloured text wraps severities in ANSI codes; plain text has none', () => {
  assert.match(formatText(report(), ansi), /\x1b\[35mcritical/);
  assert.not.match(formatText(report(), plain), /\x1b/);
});

test('notes are listed (at most ten) before the summary', () => {
  const notes = Array.from({ length: 12 }, (_, i) => ({ file: `f${i}.js`, note: { kind: 'encoding' as const, message: 'not valid UTF-8' } }));
  const text = formatText(report({ findings: [], notes }), plain);
  assert.match(text, /^notes \(12\):\n  f0\.js: not valid UTF-8\n/);
  assert.match(text, /  … and 2 more \(see --format json\)\nno findings · /);
});

test('progress is silent when stderr is not a TTY', () => {
  const s = fakeStream(false);
  const p = createProgress(s);
  p.update({ files: 1, bytes: 1 });
  p.done();
  assert.is(s.written, '');
});

test('progress on a TTY waits before showing, throttles redraws, and clears its line at the end', () => {
  const s = fakeStream(true);
  let now = 0;
  const p = createProgress(s, () => now);
  p.update({ files: 1, bytes: 10 });
  assert.is(s.written, '', 'nothing in the first 300 ms');
  now = 400;
  p.update({ files: 50, bytes: 2_000_000 });
  now = 450;
  p.update({ files: 60, bytes: 2_100_000 });
  assert.is(s.written, '\r\x1b[Kscanning… 50 files, 2.0 MB', 'one redraw per 100 ms');
  p.done();
  assert.ok(s.written.endsWith('\r\x1b[K'));
});

test.run();
