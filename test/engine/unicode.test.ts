import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scan } from '../../server/engine/index.js';
import { mark } from '../helpers/mark.js';

const only = { only: ['unicode' as const] };

test('a right-to-left override in a JS comment is a Trojan Source finding with a removal fix', () => {
  const [src, at] = mark('/* admin only «\u202E» } if (isAdmin) { */\nrun();');
  const findings = scan(src, { path: 'a.js', config: only });
  assert.equal(findings.map((f) => [f.ruleId, f.start, f.end]), [['unicode.bidi-control', at.start, at.end]]);
  assert.match(findings[0]!.message, /U\+202E/);
  const fix = findings[0]!.fix!;
  const fixed = src.slice(0, fix.edits[0]!.start) + fix.edits[0]!.newText + src.slice(fix.edits[0]!.end);
  assert.equal(scan(fixed, { path: 'a.js', config: only }), []);
});

test('isolates (U+2066–U+2069) are flagged in any file type, including markdown', () => {
  const [src, at] = mark('Read this «\u2067»carefully');
  assert.equal(scan(src, { path: 'README.md', config: only }).map((f) => [f.ruleId, f.start]), [['unicode.bidi-control', at.start]]);
});

test('a zero-width space inside an identifier is an invisible-character finding', () => {
  const [src, at] = mark('const is«\u200B»Admin = false;');
  const [f] = scan(src, { path: 'x.ts', config: only });
  assert.equal([f?.ruleId, f?.start, f?.end], ['unicode.invisible-character', at.start, at.end]);
});

test('a leading byte-order mark and emoji joiners are not findings', () => {
  assert.equal(scan('\uFEFFconst a = 1;', { path: 'x.ts', config: only }), []);
  assert.equal(scan('const family = "👨\u200D👩\u200D👧";', { path: 'x.ts', config: only }), []);
});

test('Unicode tag characters are decoded into the message', () => {
  const hidden = [...'ignore rules'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
  const [src, at] = mark(`# Setup«${hidden}»\n`);
  const [f] = scan(src, { path: 'README.md', config: only });
  assert.equal([f?.ruleId, f?.start, f?.end], ['unicode.tag-characters', at.start, at.end]);
  assert.match(f!.message, /"ignore rules"/);
});

test('an emoji subdivision flag (tag sequence after U+1F3F4) is not a finding', () => {
  const england = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
  assert.equal(scan(`const flag = "${england}";`, { path: 'x.js', config: only }), []);
});

test('a Cyrillic look-alike inside a Latin identifier is flagged and renamed by the fix', () => {
  const [src, at] = mark('if («isАdmin»(user)) grant();');
  const [f] = scan(src, { path: 'x.js', config: only });
  assert.equal([f?.ruleId, f?.start, f?.end], ['unicode.mixed-script-identifier', at.start, at.end]);
  assert.equal(f!.fix!.edits[0]!.newText, 'isAdmin');
});

test('ordinary non-Latin text is not a finding: Russian, Greek, accented Latin, CJK', () => {
  const src = 'const greeting = "Привет мир"; const π = 3.14; const café = "Ελληνικά"; const 名前 = "値";';
  assert.equal(scan(src, { path: 'x.js', config: only }), []);
});

test('a word made only of Cyrillic letters imitating Latin ones is flagged', () => {
  const [src, at] = mark('function «рау»() {}');
  const [f] = scan(src, { path: 'x.py', config: only });
  assert.equal([f?.ruleId, f?.start, f?.end], ['unicode.mixed-script-identifier', at.start, at.end]);
});

test('the span of a look-alike identifier is the identifier only, not neighbouring punctuation', () => {
  const src = 'x = «isАdmin»;';
  const [f] = scan(src, { path: 'x.py', config: only });
  assert.is(src.slice(f!.start, f!.end), 'isАdmin');
});

test('all-look-alike words are ordinary words in a file written in that script', () => {
  // Ukrainian "ера" (era) and "сер" are made only of Latin look-alikes, but this file writes Ukrainian.
  const src = 'const months = ["ера", "сер", "березень", "квітень"];';
  assert.equal(scan(src, { path: 'locale.js', config: only }), []);
});

test('in files AI assistants read as instructions, every hidden character is reported (the rules file backdoor)', () => {
  const khmer = '\u179f\u200b\u1794\u17d2\u178f';
  const hebrew = '\u05e9\u05dc\u05d5\u05dd \u202bEmacs\u202c';
  for (const path of ['.cursorrules', 'AGENTS.md', 'docs/CLAUDE.md', '.github/copilot-instructions.md', '.cursor/rules/style.mdc', '.github/prompts/review.prompt.md']) {
    const found = scan(`Write tests. ${khmer}\n${hebrew}\n`, { path, config: only }).map((f) => f.ruleId);
    assert.equal(found, ['unicode.invisible-character', 'unicode.bidi-control', 'unicode.bidi-control'], path);
  }
  // The same text in ordinary docs is writing.
  assert.equal(scan(`Write tests. ${khmer}\n${hebrew}\n`, { path: 'docs/README.md', config: only }), []);
});

test('zero-width spaces and joiners beside non-Latin letters are writing; beside ASCII names they are reported', () => {
  const khmer = 'const km = "\u179f\u200b\u1794\u17d2\u178f"; const fa = "\u0645\u0627\u0647\u200c_\u062f\u0648";';
  assert.equal(scan(khmer, { path: 'locale.js', config: only }), []);
  const hidden = 'if (role === "admin\u200b") grant(); const is\u200cAdmin = 1;';
  assert.equal(scan(hidden, { path: 'a.js', config: only }).map((f) => f.ruleId), ['unicode.invisible-character', 'unicode.invisible-character']);
});

test('bidi embeddings in Hebrew or Arabic prose are writing; in code, or on a line without such letters, they are reported', () => {
  const hebrew = '\u05e9\u05dc\u05d5\u05dd \u202bEmacs\u202c \u05e2\u05d5\u05dc\u05dd';
  const arabic = '\u0645\u0631\u062d\u0628\u0627 \u2067Shippi\u2069';
  assert.equal(scan(`${hebrew}\n${arabic}\n`, { path: 'TUTORIAL.he', config: only }), []);
  assert.equal(scan(`# ${hebrew}\n`, { path: 'README.md', config: only }), []);
  // A name written backwards with an override (as in a real AUTHORS file), and the same Hebrew line in code.
  const authors = 'Muha Ajjan\n\u202erekc\u00e4H nitraM\u202e\n';
  assert.equal(scan(authors, { path: 'AUTHORS.txt', config: only }).map((f) => f.ruleId), ['unicode.bidi-control', 'unicode.bidi-control']);
  assert.equal(scan(`const s = "${hebrew}";`, { path: 'a.js', config: only }).map((f) => f.ruleId), ['unicode.bidi-control', 'unicode.bidi-control']);
  // A Hebrew letter does not excuse an override, an unclosed embedding, or a closer before its opener.
  for (const line of ['\u05e9 run \u202edm.ecruos\u202c', '\u05e9 \u2067if (admin)', '\u05e9 \u2069x\u2067']) {
    assert.ok(scan(`${line}\n`, { path: 'notes.md', config: only }).length > 0, JSON.stringify(line));
  }
});

test('a mix where no letter imitates another script is not a finding: units, maths, escapes before Greek', () => {
  const src = [
    'const units = ["ms", "\u03bcs"]; const ten\u03c0 = 31.4; // cos\u03b8 sx - sin\u03b8 sy',
    "const ordinal = '%d\u03b7'; const delta = /[A-Za-z\u0394]/;",
    'const rows = "cat,dog\\n\u03b1\u03b2\u03b3,\u03b4\u03b5\u03b6"; const fold = "\\u0345\u03b9";',
    // iconv-lite's code page 437 table: Greek look-alikes beside Latin-1 letters, but no ASCII letter to imitate.
    'const cp437 = "\u00bf\u2310\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u03b1\u00df\u0393\u03c0\u03a3\u03c3\u00b5\u03c4\u03a6\u0398\u03a9\u03b4";',
  ].join('\n');
  assert.equal(scan(src, { path: 'x.js', config: only }), []);
});

test('a Latin twin inside a Cyrillic word is flagged, without a fix (which letter was meant is the author\'s call)', () => {
  // Ukrainian "дні" typed with a Latin i, and a Kazakh regex with a Latin e after a Cyrillic с.
  const src = 'const days = "{{count}} \u0434\u043di"; const re = /^\u0441e[\u0439]/i;';
  const found = scan(src, { path: 'uk.js', config: only });
  assert.equal(found.map((f) => [f.ruleId, src.slice(f.start, f.end)]), [
    ['unicode.mixed-script-identifier', '\u0434\u043di'],
    ['unicode.mixed-script-identifier', '\u0441e'],
  ]);
  assert.is(found[0]!.message, 'Identifier "\u0434\u043di" mixes cyrillic letters with Latin look-alikes (i) that pass for cyrillic ones');
  assert.is(found[0]!.fix, undefined);
  assert.match(found[1]!.message, 'it reads as "ce"');
});

test('lower-case в, к, м, н, т are not taken for Latin letters', () => {
  assert.equal(scan('const x = "вер" + "кат";', { path: 'a.js', config: only }), []);
});

test('many findings on one long minified line are fingerprinted from their surroundings, not the whole line', () => {
  const filler = 'a=1;'.repeat(250_000);
  const src = Array.from({ length: 200 }, (_, i) => `v${i}=is\u0410dmin${i};`).join(filler.slice(0, 5000)) + filler;
  const found = scan(src, { path: 'bundle.min.js', config: only });
  assert.is(found.length, 200);
  assert.is(new Set(found.map((f) => f.fingerprint)).size, 200);
});

test('Greek and Cyrillic punctuation (not letters) end the scan of a word instead of stalling it', () => {
  // U+037E GREEK QUESTION MARK and U+0482 CYRILLIC THOUSANDS SIGN sit in the scanned ranges but are not letters.
  const src = 'const a = "x\u037E y\u0482"; const is\u0410dmin = 1;';
  assert.equal(scan(src, { path: 'a.js', config: only }).map((f) => f.ruleId), ['unicode.mixed-script-identifier']);
});

test.run();
