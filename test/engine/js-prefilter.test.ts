// The JS/TS prefilter decides which files are tokenized at all: it must let every rule's true cases through and
// keep out the common words that used to send most of node_modules to the tokenizer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES } from '../../server/engine/index.js';
import { javascriptFamily, mayHaveFindings } from '../../server/engine/rules/js/index.js';
import { readdirSync, readFileSync } from 'node:fs';
import { JS_RULES } from '../../server/engine/rules/js/meta.js';

test('every JS/TS rule example that is bad passes the prefilter', () => {
  const ids = new Set(JS_RULES.map((r) => r.id));
  const blocked = ALL_RULES.filter((r) => ids.has(r.id))
    .flatMap((r) => r.examples.map((e) => [r.id, e.bad] as const))
    .filter(([, bad]) => !mayHaveFindings(bad))
    .map(([id]) => id);
  assert.equal(blocked, []);
});

test('request sources in their usual shapes pass: aliases, destructuring, Koa, Lambda, browser', () => {
  for (const src of [
    'const r = req; fs.readFile(r.query.f)',
    'const { body } = event; fetch(body.url)',
    'const file = ctx.query.file;',
    'const q = event.queryStringParameters.q;',
    'const u = request.query.u;',
    'location.href = next;',
    'window.location = target;',
    'import { exec } from "node:child_process"; exec(cmd);',
    'cp.exec(cmd)',
    'const run = new Function(code);',
    'eval(input)',
    'setTimeout("tick(" + n + ")", 10);',
    'setInterval(`poll(${id})`, 1000);',
    'db.query(`update ${table} set name = ${name}`);',
    'app.use(cors({ origin: true, credentials: true }));',
    'const next = url.searchParams.get("next");',
    'const from = document.referrer;',
  ]) assert.ok(mayHaveFindings(src), src);
});

test('common words that are not sources or sinks do not pass on their own', () => {
  for (const src of [
    'const path = require("path");',
    'function isFunction(x) { return typeof x === "function"; }',
    'const result = evaluate(tree);',
    'const match = /a+/.exec(text);',
    'el.addEventListener("click", (event) => event.preventDefault());',
    'const location = { line: 1, column: 2 };',
    'ctx.fillRect(0, 0, 10, 10);',
    'setTimeout(() => done(), 100); setInterval(tick, 1000);',
    '// update the cache before the next render',
  ]) assert.is(mayHaveFindings(src), false, src);
});

test("the family's screen on a file's bytes accepts exactly what the prefilter accepts on its text", () => {
  const dir = new URL('../corpus/js/', import.meta.url);
  const texts = readdirSync(dir).map((n) => readFileSync(new URL(n, dir), 'utf8'));
  texts.push(
    'const x = 1; // no trigger at all',
    'function isFunction(x) { return typeof x === "function"; }', // a pattern's literal, but not its regex
    'const run = new Function(code);', // a pattern confirmed by its regex
    'el.innerHTML = v;', // a word
    '// Größe — 日本語\nconst run = new Function(code);', // non-ASCII, pattern confirmed
    '// naïve café\nconst result = evaluate(tree);', // non-ASCII, pattern not confirmed
  );
  for (const text of texts) {
    const bytes = new TextEncoder().encode(text);
    const doc = { path: 'src/a.js', language: 'javascript' as const, config: {}, ascii: !/[^\x00-\x7f]/.test(text), text: () => text };
    assert.is(javascriptFamily.screen!(bytes, doc), mayHaveFindings(text), text.slice(0, 60));
  }
  assert.ok(texts.some((t) => mayHaveFindings(t)) && texts.some((t) => !mayHaveFindings(t)), 'both outcomes are exercised');
});

test.run();
