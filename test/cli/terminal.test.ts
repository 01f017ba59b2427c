import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forTerminal, linesForTerminal } from '../../clients/cli/output/terminal.js';
import { shippi, tempTree } from './helpers.js';

/** Anything a terminal would act on or that hides what a person reads. */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\udb40[\udc00-\udc7f]/;

test('forTerminal escapes controls, bidi and zero-width marks, tags and lone surrogates, and nothing else', () => {
  assert.is(forTerminal('a\x1b[31mred\x1b[0m\x07'), 'a\\x1b[31mred\\x1b[0m\\x07');
  assert.is(forTerminal('line\nforged.js:1:1  critical'), 'line\\x0aforged.js:1:1  critical');
  assert.is(forTerminal('\x9b2J'), '\\x9b2J'); // 8-bit CSI
  assert.is(forTerminal('admin\u202e\u2066txt.js'), 'admin\\u{202e}\\u{2066}txt.js');
  assert.is(forTerminal('pass\u200bword\ufeff'), 'pass\\u{200b}word\\u{feff}');
  assert.is(forTerminal('tag\u{e0041}'), 'tag\\u{e0041}');
  assert.is(forTerminal('lone\ud800'), 'lone\\u{d800}');
  // Ordinary text passes unchanged (accents, CJK, emoji, quotes, backslashes); a tab is a control and is escaped.
  for (const ok of ['src/café/naïve.ts', '日本語.js', 'rocket 🚀.md', "it's \"quoted\" \\ back"]) assert.is(forTerminal(ok), ok);
  assert.is(forTerminal('a\tb'), 'a\\x09b');
});

test('linesForTerminal keeps line breaks and escapes the rest', () => {
  assert.is(linesForTerminal('first\r\nsecond \x1b]52;c;aGk=\x07\nthird'), 'first\nsecond \\x1b]52;c;aGk=\\x07\nthird');
});

test('a scanned file whose name carries escape sequences and a newline is printed escaped (JSON keeps the real name)', () => {
  const t = tempTree();
  try {
    const name = 'x\x1b[2K\r\x1b]0;pwned\x07\u202eevil\nfake.js';
    writeFileSync(join(t.root, name), 'el.innerHTML = location.hash;\n');
    const r = shippi(t.root, ['scan', '.']);
    assert.is(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l.includes('xss.'));
    assert.is(lines.length, 1, JSON.stringify(r.stdout));
    assert.ok(lines[0]!.startsWith('x\\x1b[2K\\x0d\\x1b]0;pwned\\x07\\u{202e}evil\\x0afake.js:1:'), JSON.stringify(lines[0]));
    assert.not.ok(UNSAFE.test(r.stdout.replace(/\n/g, '')), 'no raw control in the text report');
    const json = JSON.parse(shippi(t.root, ['scan', '.', '--format', 'json']).stdout) as { findings: { file: string }[] };
    assert.is(json.findings[0]!.file, name);
  } finally {
    t.cleanup();
  }
});

test.run();
