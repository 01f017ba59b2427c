import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES, CATEGORIES, scan, fnv1a64, languageFromPath, LineIndex, suppressionComment, redactSecret } from '../../server/engine/index.js';

const root = new URL('../../', import.meta.url).pathname;
const BIDI = '\u202E';

test('fnv1a64 matches the published FNV-1a 64-bit test vectors', () => {
  assert.is(fnv1a64(''), 'cbf29ce484222325');
  assert.is(fnv1a64('a'), 'af63dc4c8601ec8c');
  assert.is(fnv1a64('foobar'), '85944171f73967e8');
});

test('a fingerprint survives moving the finding to another line, and differs for two identical lines', () => {
  const one = scan(`x${BIDI}\n`, { path: 'a.js' });
  const moved = scan(`\n\n// new code above\nx${BIDI}\n`, { path: 'a.js' });
  assert.is(one.length, 1);
  assert.is(moved[0]!.fingerprint, one[0]!.fingerprint);
  const twice = scan(`x${BIDI}\nx${BIDI}\n`, { path: 'a.js' });
  assert.is(twice.length, 2);
  assert.is.not(twice[0]!.fingerprint, twice[1]!.fingerprint);
});

test('suppression comments in each language silence the named rule only', () => {
  const js = `// shippi-ignore-next-line unicode.bidi-control -- test fixture\nx${BIDI}\ny${BIDI}\n`;
  assert.equal(scan(js, { path: 'a.js' }).map((f) => f.start), [js.lastIndexOf(BIDI)]);
  const py = `x = "${BIDI}"  # shippi-ignore-line unicode.bidi-control -- fixture\n`;
  assert.equal(scan(py, { path: 'a.py' }), []);
  const other = `// shippi-ignore-next-line secret.aws-access-key-id -- unrelated\nx${BIDI}\n`;
  assert.is(scan(other, { path: 'a.js' }).length, 1);
  const category = `<!-- shippi-ignore-next-line unicode.* -- docs -->\nx${BIDI}\n`;
  assert.equal(scan(category, { path: 'a.md' }), []);
});

test('suppressionComment writes the language comment syntax and the result suppresses', () => {
  assert.is(suppressionComment('python', 'unicode.bidi-control', '  '), '  # shippi-ignore-next-line unicode.bidi-control -- reason: \n');
  assert.is(suppressionComment('html', 'x.y', ''), '<!-- shippi-ignore-next-line x.y -- reason:  -->\n');
  const src = `x${BIDI}\n`;
  assert.equal(scan(suppressionComment('javascript', 'unicode.bidi-control', '') + src, { path: 'a.js' }), []);
});

test('config turns rules off, overrides severity and restricts categories', () => {
  const src = `x${BIDI}\n`;
  assert.equal(scan(src, { path: 'a.js', config: { rules: { 'unicode.bidi-control': 'off' } } }), []);
  assert.is(scan(src, { path: 'a.js', config: { rules: { 'unicode.bidi-control': 'low' } } })[0]!.severity, 'low');
  assert.equal(scan(src, { path: 'a.js', config: { only: ['secret'] } }), []);
});

test('LineIndex maps offsets to 0-based UTF-16 positions across \\n and \\r\\n', () => {
  const idx = new LineIndex('ab\r\n😀c\nd');
  assert.equal(idx.positionAt(0), { line: 0, character: 0 });
  assert.equal(idx.positionAt(6), { line: 1, character: 2 });
  assert.is(idx.lineText(0), 'ab');
  assert.is(idx.lineText(1), '😀c');
  assert.equal(idx.positionAt(99), { line: 2, character: 1 });
  // Many lines of different lengths (the index grows as it reads): every offset maps back to its line.
  const lines = Array.from({ length: 1000 }, (_, i) => 'x'.repeat(i % 7));
  const text = lines.join('\n');
  const big = new LineIndex(text);
  assert.is(big.lineCount, 1000);
  let offset = 0;
  lines.forEach((line, i) => {
    assert.equal(big.positionAt(offset + line.length), { line: i, character: line.length });
    assert.is(big.lineStart(i), offset);
    offset += line.length + 1;
  });
});

test('languageFromPath reads names, extensions and workflow locations, with either kind of slash', () => {
  const cases: [string, string][] = [
    ['.github/workflows/ci.yml', 'github-actions'], ['repo\\.github\\workflows\\Release.YAML', 'github-actions'],
    ['tools/deploy/action.yaml', 'github-actions'], ['config/app.yml', 'yaml'], ['.gitlab-ci.yml', 'gitlab-ci'],
    ['docker/Dockerfile.prod', 'dockerfile'], ['web.dockerfile', 'dockerfile'], ['.env.local', 'dotenv'], ['Makefile', 'shell'],
    ['src/App.TSX', 'typescript'], ['lib/index.mjs', 'javascript'], ['LICENSE', 'plaintext'], ['notes.unknownext', 'plaintext'],
  ];
  for (const [path, language] of cases) assert.is(languageFromPath(path), language, path);
});

test('redactSecret never shows more than four characters', () => {
  const value = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
  const shown = redactSecret(value);
  assert.ok(!shown.includes(value.slice(0, 8)));
  assert.is(redactSecret('hunter2'), '…(7 chars)');
});

test('every rule has complete metadata: id shape, known category, CWE, OWASP, fix text and an example', () => {
  assert.ok(ALL_RULES.length > 0);
  for (const r of ALL_RULES) {
    assert.ok(/^[a-z-]+\.[a-z0-9-]+$/.test(r.id), `bad id ${r.id}`);
    assert.ok(r.id.startsWith(`${r.category}.`), `${r.id} does not start with its category`);
    assert.ok(CATEGORIES.includes(r.category), `${r.id}: category ${r.category}`);
    assert.ok(r.cwe.length > 0 && r.cwe.every((c) => /^CWE-\d+$/.test(c)), `${r.id}: cwe`);
    assert.ok(r.owasp.length > 0, `${r.id}: owasp`);
    assert.ok(r.title.length > 0 && r.description.length > 20 && r.fix.length > 10, `${r.id}: text`);
    assert.ok(r.examples.length > 0, `${r.id}: examples`);
  }
});

test('the engine imports no Node built-ins, no LSP and nothing outside server/engine', () => {
  const dir = join(root, 'server/engine');
  const offenders: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8');
        // Static imports/re-exports start a line; dynamic imports are `import('…')` outside comments.
        const specs = [
          ...src.matchAll(/^(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm),
          ...src.split('\n').filter((l) => !/^\s*(?:\/\/|\*|\/\*)/.test(l)).join('\n').matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
        ];
        for (const m of specs) {
          const spec = (m[1] ?? m[2])!;
          const builtin = spec.startsWith('node:') || /^(fs|path|os|child_process|crypto|net|http|https|worker_threads|url|util|stream|events)(\/|$)/.test(spec);
          const outside = spec.startsWith('.') && !join(d, spec).startsWith(dir);
          if (builtin || outside || spec.startsWith('vscode-')) offenders.push(`${p}: ${spec}`);
        }
      }
    }
  };
  walk(dir);
  assert.equal(offenders, []);
});

test.run();
