import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, CancelledError, type Cancel } from '../../server/engine/index.js';
import { tokenize } from '../../server/engine/rules/js/tokenizer.js';
import { javascriptFamily } from '../../server/engine/rules/js/index.js';

const dir = new URL('../corpus/js/', import.meta.url).pathname;
const files = readdirSync(dir).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));

// A small deterministic PRNG so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

test('every prefix cut of the corpus files is analysed without an internal error', () => {
  const rand = rng(7);
  for (const f of files) {
    for (let k = 0; k < 15; k++) {
      const cut = Math.floor(rand() * f.text.length);
      const r = analyze(f.text.slice(0, cut), { path: f.name });
      assert.equal(r.notes.filter((n) => n.kind === 'parse-error').map((n) => n.message), [], `${f.name} cut at ${cut}`);
    }
  }
});

test('random deletions and inserted brackets, quotes and slashes never break the analysis', () => {
  const rand = rng(11);
  const noise = ['(', ')', '{', '}', '[', ']', '`', '"', "'", '/', '${', '<', '>', '/*', '\n', '\\'];
  for (const f of files) {
    for (let k = 0; k < 10; k++) {
      let text = f.text;
      for (let e = 0; e < 5; e++) {
        const at = Math.floor(rand() * text.length);
        text = rand() < 0.5 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20)) : text.slice(0, at) + noise[Math.floor(rand() * noise.length)] + text.slice(at);
      }
      const r = analyze(text, { path: f.name });
      assert.equal(r.notes.filter((n) => n.kind === 'parse-error').map((n) => n.message), [], `${f.name} variant ${k}`);
    }
  }
});

test('binary-looking and unterminated input tokenizes to the end without throwing', () => {
  const inputs = ['\u0000\u0001\uFFFD'.repeat(100), '`${'.repeat(200), '/'.repeat(300), '"unterminated\n', '/* open', '<div><span>{', '#!/usr/bin/env node\nx', 'a?.5:b', '\uD800'];
  for (const text of inputs) {
    const t = tokenize(text);
    if (t.count > 0) assert.ok(t.end[t.count - 1]! <= text.length);
    analyze(text, { path: 'x.tsx' });
  }
});

test('pathological shapes (one-line minified code, deep nesting, long assignment chains) are analysed', () => {
  const N = 200_000;
  const shapes = [
    'var a=req.query.x,b=function(c){return c+1};el.innerHTML=a;'.repeat(N / 60),
    '('.repeat(N / 2) + ')'.repeat(N / 2), 'f('.repeat(N / 2), '{'.repeat(N), 'a=b=c=d=e='.repeat(N / 10) + '1',
    'var ' + 'a=1,'.repeat(N / 4) + 'b=2;', '/* c */ x = 1;'.repeat(N / 14), 'x = ' + 'a ? b : '.repeat(N / 8) + 'c;',
  ];
  for (const text of shapes) {
    const r = analyze(`eval\n${text}`, { path: 'min.js' });
    assert.equal(r.notes.filter((n) => n.kind === 'parse-error').map((n) => n.message), []);
  }
});

test('tokens are in order, within the text, and never overlap', () => {
  for (const f of files) {
    const t = tokenize(f.text);
    let last = 0;
    for (let i = 0; i < t.count; i++) {
      assert.ok(t.start[i]! >= last && t.end[i]! > t.start[i]! && t.end[i]! <= f.text.length, `${f.name} token ${i}`);
      last = t.end[i]!;
    }
  }
});

test('a stream written to reused arrays equals a fresh one, entries past its end included', () => {
  // Large then small then large again, so later streams land on arrays an earlier, longer one wrote.
  const big = files.map((f) => f.text).join('\n');
  const texts = [big, ...files.map((f) => f.text), big.slice(0, big.length >> 1), '', 'x', big];
  for (const [n, text] of texts.entries()) {
    const fresh = tokenize(text);
    const reused = tokenize(text, true, true);
    assert.is(reused.count, fresh.count, `text ${n}`);
    // Every entry a fresh stream has, including the defaults past `count` that the analysis may read.
    for (const key of ['kind', 'start', 'end', 'match', 'parent', 'nl'] as const) {
      assert.ok(reused[key].length >= fresh[key].length, `text ${n} ${key} length`);
      assert.equal(Array.from(reused[key].subarray(0, fresh[key].length)), Array.from(fresh[key]), `text ${n} ${key}`);
    }
  }
});

test('a cancelled token stops the JS analysis with CancelledError', () => {
  const text = files.map((f) => f.text).join('\n');
  const cancelled: Cancel = { isCancellationRequested: true };
  const doc = { text, path: 'big.js', language: 'javascript' as const, config: {}, screened: false };
  const report = { finding: () => {}, note: () => {} };
  assert.throws(() => javascriptFamily.run(doc, report, cancelled), (e: unknown) => e instanceof CancelledError);
  assert.not.throws(() => javascriptFamily.run(doc, report, { isCancellationRequested: false }));
});

test.run();
