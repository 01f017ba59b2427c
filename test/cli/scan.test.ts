// End-to-end: the built CLI in temp directories. Findings come from the hidden-Unicode rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { shippi, tempTree } from './helpers.js';

const BIDI = '\u202E';
let t = tempTree();

test.before.each(() => {
  t = tempTree();
});
test.after.each(() => t.cleanup());

test('a clean tree exits 0 with a "no findings" summary', () => {
  t.put('a.js', 'const x = 1;\n');
  const r = shippi(t.root, ['scan']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^no findings · 1 file, 0\.0 MB, \d+ ms\n$/);
});

test('a finding exits 1 and prints path:line:col  severity  ruleId  message, grouped by file', () => {
  t.put('src/a.js', `ok\nx${BIDI}\n`);
  t.put('b.py', `# ${BIDI}\n`);
  const r = shippi(t.root, ['scan']);
  assert.is(r.code, 1, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(lines[0]!.startsWith('b.py:1:3  high      unicode.bidi-control  '), lines[0]);
  assert.is(lines[1], '');
  assert.ok(lines[2]!.startsWith('src/a.js:2:2  high      unicode.bidi-control  '), lines[2]);
  assert.match(r.stdout, /\n2 findings \(2 high\) · 2 files, /);
  assert.not.match(r.stdout, /\x1b\[/);
});

test('--fail-on sets the threshold; none never fails', () => {
  t.put('a.js', `x${BIDI}\n`);
  assert.is(shippi(t.root, ['scan', '--fail-on', 'critical']).code, 0);
  assert.is(shippi(t.root, ['scan', '--fail-on', 'high']).code, 1);
  assert.is(shippi(t.root, ['scan', '--fail-on', 'medium']).code, 1);
  assert.is(shippi(t.root, ['scan', '--fail-on', 'none']).code, 0);
});

test('--format json prints exactly the contract shape', () => {
  t.put('dir/a.js', `const s = "😀${BIDI}";\n`);
  const r = shippi(t.root, ['scan', '--format', 'json']);
  assert.is(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(Object.keys(out), ['version', 'findings', 'stats']);
  assert.is(out.version, 1);
  assert.equal(Object.keys(out.stats), ['files', 'bytes', 'ms']);
  assert.is(out.stats.files, 1);
  assert.is(out.stats.bytes, Buffer.byteLength(`const s = "😀${BIDI}";\n`));
  assert.is(out.findings.length, 1);
  const f = out.findings[0];
  assert.equal(Object.keys(f), ['ruleId', 'category', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'cwe', 'fingerprint']);
  assert.equal({ ...f, message: typeof f.message, fingerprint: typeof f.fingerprint }, {
    ruleId: 'unicode.bidi-control', category: 'unicode', severity: 'high', message: 'string', file: 'dir/a.js',
    // the emoji is two UTF-16 code units, so the control character is at column 14
    line: 1, column: 14, endLine: 1, endColumn: 15, cwe: ['CWE-451'], fingerprint: 'string',
  });
  assert.match(f.fingerprint, /^[0-9a-f]{16}$/);
});

test('--output writes the report to a file and the summary to stderr', () => {
  t.put('a.js', `x${BIDI}\n`);
  const r = shippi(t.root, ['scan', '--format', 'json', '--output', 'report.json']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^1 finding \(1 high\)/);
  assert.is(JSON.parse(readFileSync(`${t.root}/report.json`, 'utf8')).findings.length, 1);
});

test('--only limits the categories reported', () => {
  t.put('a.js', `x${BIDI}\n`);
  const r = shippi(t.root, ['scan', '--only', 'secret,injection', '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).findings, []);
  assert.is(shippi(t.root, ['scan', '--only', 'unicode']).code, 1);
});

test('bad flags and values exit 2 with one line naming the problem', () => {
  t.put('a.js', 'ok\n');
  const cases: [string[], RegExp][] = [
    [['scan', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['scan', '--format', 'xml'], /--format must be one of text, json, sarif, not 'xml'/],
    [['scan', '--fail-on', 'loud'], /--fail-on must be one of critical, high, medium, low, info or none/],
    [['scan', '--only', 'secret,bogus'], /--only: unknown category 'bogus'/],
    [['scan', 'missing-dir'], /missing-dir: no such file or directory/],
    [['scan', '--format'], /--format/],
    [['scan', '--staged', 'a.js'], /--staged .* takes no paths/],
    [['scan', '--baseline', 'nope.json'], /--baseline: nope.json: no such file/],
    [['scan', 'loop'], /loop: symbolic link loop/],
    [['scan', 'a.js/x'], /a\.js\/x: a directory in the path is a file/],
    [['scan', '--output', 'no-dir/report.json', 'a.js'], /--output: no-dir\/report\.json: no such file or directory/],
  ];
  symlinkSync('loop', join(t.root, 'loop'));
  for (const [args, message] of cases) {
    const r = shippi(t.root, args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stdout, '', args.join(' '));
    assert.match(r.stderr, message);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.not.match(r.stderr, /\n\s+at /);
  }
});

test('an invalid .shippi.json exits 2 naming the file and the key', () => {
  t.put('a.js', 'ok\n');
  t.put('.shippi.json', '{"only": ["unicode", "nonsense"]}');
  const r = shippi(t.root, ['scan']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /\.shippi\.json: only\.1: /);
  t.put('.shippi.json', '{"ignore": [');
  const broken = shippi(t.root, ['scan']);
  assert.is(broken.code, 2);
  assert.match(broken.stderr, /\.shippi\.json: not valid JSON/);
  t.put('other.json', '{"unknownKey": true}');
  const explicit = shippi(t.root, ['scan', '--config', 'other.json']);
  assert.is(explicit.code, 2);
  assert.match(explicit.stderr, /other\.json: .*unknownKey/);
});

test('.shippi.json rules, ignore and severity overrides apply; --config picks another file', () => {
  t.put('a.js', `x${BIDI}\n`);
  t.put('gen/b.js', `x${BIDI}\n`);
  t.put('.shippi.json', '{"ignore": ["gen/"], "rules": {"unicode.bidi-control": "low"}}');
  const out = JSON.parse(shippi(t.root, ['scan', '--format', 'json']).stdout);
  assert.equal(out.findings.map((f: { file: string; severity: string }) => [f.file, f.severity]), [['a.js', 'low']]);
  t.put('off.json', '{"rules": {"unicode.bidi-control": "off"}}');
  assert.is(shippi(t.root, ['scan', '--config', 'off.json']).code, 0);
});

test('.gitignore is honoured, and a file named explicitly is scanned anyway', () => {
  t.put('.gitignore', 'build/\n');
  t.put('build/out.js', `x${BIDI}\n`);
  t.put('src/ok.js', 'ok\n');
  execFileSync('git', ['init', '-q'], { cwd: t.root });
  assert.is(shippi(t.root, ['scan']).code, 0);
  assert.is(shippi(t.root, ['scan', 'build/out.js']).code, 1);
});

test('binary and oversized files are skipped and the summary says why', () => {
  t.put('a.bin', Buffer.from([0, 1, 2, 3]));
  t.put('.shippi.json', '{"maxFileBytes": 100}');
  t.put('big.js', 'x'.repeat(200));
  const r = shippi(t.root, ['scan']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /· 2 skipped \((1 binary, 1 over the 100 B size cap|1 over the 100 B size cap, 1 binary)\)/);
});

test('--write-baseline records findings; --baseline then hides them but not new ones', () => {
  t.put('a.js', `x${BIDI}\n`);
  const w = shippi(t.root, ['scan', '--write-baseline', 'baseline.json']);
  assert.is(w.code, 0, w.stderr);
  const saved = JSON.parse(readFileSync(`${t.root}/baseline.json`, 'utf8'));
  assert.equal(saved.findings.map((f: { file: string; ruleId: string }) => [f.file, f.ruleId]), [['a.js', 'unicode.bidi-control']]);
  const again = shippi(t.root, ['scan', '--baseline', 'baseline.json']);
  assert.is(again.code, 0);
  assert.match(again.stdout, /no findings · .* · 1 hidden by baseline/);
  // The baseline follows the finding, not its line number.
  t.put('a.js', `// moved down\n\nx${BIDI}\n`);
  assert.is(shippi(t.root, ['scan', '--baseline', 'baseline.json']).code, 0);
  t.put('b.js', `y${BIDI}\n`);
  const added = JSON.parse(shippi(t.root, ['scan', '--baseline', 'baseline.json', '--format', 'json']).stdout);
  assert.equal(added.findings.map((f: { file: string }) => f.file), ['b.js']);
  t.put('bad.json', '{"version": 2, "findings": []}');
  const bad = shippi(t.root, ['scan', '--baseline', 'bad.json']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /bad\.json: version: /);
});

test('--staged scans what is in the git index, not the working tree', () => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: t.root });
  git('init', '-q');
  t.put('staged.js', `x${BIDI}\n`);
  t.put('unstaged.js', `x${BIDI}\n`);
  git('add', 'staged.js');
  t.put('staged.js', 'cleaned in the working tree but not staged\n');
  const r = shippi(t.root, ['scan', '--staged', '--format', 'json']);
  assert.is(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.findings.map((f: { file: string; line: number }) => [f.file, f.line]), [['staged.js', 1]]);
  assert.is(out.stats.files, 1);
  git('add', 'staged.js');
  assert.is(shippi(t.root, ['scan', '--staged']).code, 0);
  // The project's ignore patterns apply to staged files too.
  t.put('fixtures/trojan.js', `x${BIDI}\n`);
  git('add', 'fixtures/trojan.js');
  assert.is(shippi(t.root, ['scan', '--staged']).code, 1);
  t.put('.shippi.json', '{"ignore": ["fixtures/"]}');
  assert.is(shippi(t.root, ['scan', '--staged']).code, 0);
});

test('--staged outside a git repository is a usage error', () => {
  const r = shippi(t.root, ['scan', '--staged'], { GIT_CEILING_DIRECTORIES: t.root.replace(/\/[^/]+$/, '') });
  assert.is(r.code, 2);
  assert.match(r.stderr, /--staged needs a git repository/);
});

test('scan --help prints usage and exits 0', () => {
  const r = shippi(t.root, ['scan', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: shippi scan \[PATH\.\.\.\]/);
});

test.run();
