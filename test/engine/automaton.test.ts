// The trigger automaton reads patterns as supersets: whatever the full regex matches, the automaton must
// report, on the text and on its UTF-8 bytes alike. These tests hold it to that with hand-picked cases and
// with every pattern the rule families use, on generated text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clearHits, newHits, parseTrigger, TriggerAutomaton } from '../../server/engine/automaton.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const one = (source: string, ignoreCase = false): TriggerAutomaton => new TriggerAutomaton([{ source, tag: 0, ignoreCase }]);

/** Offsets (end of match) of every hit of tag 0 in a text. */
function ends(a: TriggerAutomaton, text: string): number[] {
  const hits = newHits();
  a.scan(text, hits);
  return hits.ends;
}

test('literals are found at every occurrence, overlapping ones included', () => {
  assert.equal(ends(one('aba'), 'xabababa'), [4, 6, 8]);
});

test('sets, escapes and case folding', () => {
  assert.ok(one('ghp_[A-Za-z0-9]{3}').test('token ghp_aZ9 here'));
  assert.not.ok(one('ghp_[A-Za-z0-9]{3}').test('token ghp_a-9 here'));
  assert.ok(one('password', true).test('DB_PASSWORD='));
  assert.not.ok(one('password').test('DB_PASSWORD='));
  assert.ok(one('a\\.b').test('a.b'));
  assert.not.ok(one('a\\.b').test('axb'));
});

test('short {n,m} ranges and optional groups expand exactly; long ranges and \\b widen, never narrow', () => {
  const range = one('x\\d{2,4}y');
  assert.ok(range.test('x12y') && range.test('x1234y'));
  assert.not.ok(range.test('x1y'));
  assert.not.ok(range.test('x12345y'));
  const optional = one('a(?:bc)?d');
  assert.ok(optional.test('ad') && optional.test('abcd'));
  assert.not.ok(optional.test('abd'));
  // {1,200} is cut after its first character: a superset of the regex.
  assert.ok(one('k\\w{1,200}!').test('kz'));
  assert.ok(one('\\beval\\b').test('medievalist'));
});

test('a repeated group becomes a loop over its characters, so the rest of the pattern still counts', () => {
  const a = one('go(?:ab|cd){0,3}stop');
  assert.ok(a.test('gostop') && a.test('goabcdstop'));
  assert.not.ok(a.test('goab'));
});

test('unsupported syntax is refused with the pattern named', () => {
  assert.throws(() => one('^anchored'), /trigger \/\^anchored\/: anchors/);
  assert.throws(() => one('a|'), /can match the empty string/);
  assert.throws(() => one('(capture)'), /only \(\?:…\) groups/);
});

test('hits carry their tag and, for fixed-length patterns, their length', () => {
  const a = new TriggerAutomaton([{ source: 'ab', tag: 7 }, { source: 'x\\s+y', tag: 9 }]);
  const hits = newHits();
  a.scan('ab x   y', hits);
  assert.equal(hits.tags, [7, 9]);
  assert.equal(hits.ends, [2, 8]);
  assert.equal(hits.lengths, [2, -1]);
});

test('the start of the text reads as a line break (patterns may begin with a boundary set)', () => {
  const a = one('[^A-Za-z0-9]key-');
  assert.ok(a.test('key-abc'));
  assert.ok(a.test('x key-abc'));
  assert.not.ok(a.test('monkey-abc'));
});

test('a scan continues across slices when given the state the previous slice returned', () => {
  const a = one('needle');
  const text = 'hay needle hay need' + 'le';
  const hits = newHits();
  let state = a.startState;
  for (let from = 0; from < text.length; from += 5) state = a.scan(text, hits, from, Math.min(text.length, from + 5), state);
  assert.equal(hits.ends, [10, 21]);
});

test('bytes and text trigger alike, whatever non-ASCII characters stand between', () => {
  const a = new TriggerAutomaton([
    { source: '[^A-Za-z]tok_[a-z]', tag: 1 },
    { source: 'from\\s+now', tag: 2, ignoreCase: true },
    { source: 'a[^x]b', tag: 3 },
  ]);
  for (const text of ['é tok_a', '€tok_b', '😀tok_c', 'From\u00a0now', 'from \u2028 now', 'aéb', 'a😀b', 'x tok_ y']) {
    const onText = newHits();
    a.scan(text, onText);
    const onBytes = newHits();
    a.scanBytes(utf8(text), onBytes);
    assert.equal([...new Set(onBytes.tags)].sort(), [...new Set(onText.tags)].sort(), text);
  }
});

test('states are built lazily and the full automaton stays bounded', () => {
  const a = new TriggerAutomaton([{ source: '(?:alpha|beta|gamma)[0-9]{2}', tag: 0 }]);
  const before = a.stateCount;
  assert.ok(a.test('xx beta42'));
  const full = a.buildAll();
  assert.ok(before < full, `${before} < ${full}`);
  assert.ok(full < 100, `${full} states`);
  assert.ok(a.test('gamma07') && !a.test('delta07'));
});

test('maxSets keeps a literal prefix whole and cuts after that many sets', () => {
  const [seq] = parseTrigger('[^a-z]github_pat_[A-Za-z0-9]{22}', false, 64, 3);
  assert.equal(seq!.length, 1 + 'github_pat_'.length + 2);
});

test('hit lists are reusable', () => {
  const hits = newHits();
  one('a').scan('aa', hits);
  clearHits(hits);
  assert.equal(hits.tags.length + hits.ends.length + hits.lengths.length, 0);
});

test.run();
