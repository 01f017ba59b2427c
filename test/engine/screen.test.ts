// Screening raw bytes lets the scanner skip decoding most files, so a screen that says "nothing here" where
// `analyze` would find something loses findings silently. Every case below that has a finding must pass its
// family's screen; the decoys show the screens also do their job (ruling files out).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES, analyze, languageFromPath, screenBytes, type Language } from '../../server/engine/index.js';
import { FAMILIES } from '../../server/engine/rules/index.js';
import { mayBeAssignmentBytes } from '../../server/engine/rules/secrets/assignments.js';
import { mayHaveSecrets } from '../../server/engine/rules/secrets/triggers.js';
import { unicodeFamily } from '../../server/engine/rules/unicode.js';
import { CORPUS_DIR } from '../corpus/evaluate.js';
import { discordToken, jwt, pem, providerTokens } from './secrets-tokens.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const familyOf = new Map(FAMILIES.flatMap((family) => family.rules.map((r) => [r.id, family.name] as const)));

/** Families with findings in a text, and the families its bytes' screen kept; the first must be in the second. */
function check(text: string, path: string, language?: Language): { found: string[]; kept: string[] } {
  const ctx = { path, ...(language ? { language } : {}) };
  const findings = analyze(text, ctx).findings;
  // As the workspace calls it: with the ascii flag it computes natively.
  const kept = screenBytes(utf8(text), ctx, { ascii: /^[\x00-\x7f]*$/.test(text) });
  const found = [...new Set(findings.map((f) => familyOf.get(f.ruleId)!))];
  return { found, kept };
}

test('every rule example with a finding passes its family screen', () => {
  let checked = 0;
  for (const rule of ALL_RULES) {
    for (const [i, example] of rule.examples.entries()) {
      const path = example.language === 'github-actions' ? '.github/workflows/ci.yml' : example.language === 'dockerfile' ? 'Dockerfile' : 'src/example';
      const { found, kept } = check(example.bad, path, example.language);
      for (const family of found) assert.ok(kept.includes(family), `${rule.id} example ${i}: ${family} screened out`);
      checked += found.length;
    }
  }
  // Secret examples carry placeholder values on purpose (they are not findings); the corpus and the
  // provider-token test below cover those rules.
  assert.ok(checked >= 25, `${checked} example findings checked`);
});

test('every labelled corpus file with findings passes the screens of the families that found them', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.(?:ts|md)$/.test(name) || dir !== CORPUS_DIR) files.push(path);
    }
  };
  walk(CORPUS_DIR);
  let withFindings = 0;
  for (const path of files) {
    const rel = path.slice(CORPUS_DIR.length);
    const { found, kept } = check(readFileSync(path, 'utf8'), rel);
    for (const family of found) assert.ok(kept.includes(family), `${rel}: ${family} screened out`);
    if (found.length > 0) withFindings++;
  }
  assert.ok(withFindings > 30, `${withFindings} corpus files with findings`);
});

test('a provider token deep in a large non-ASCII file passes the secrets screen (window offsets stay right)', () => {
  const filler = '// Größe, naïve café — 日本語のコメント 😀\nconst token = next();\n'.repeat(2000); // ~150 KB, name hits
  const tokens = { ...providerTokens(), 'secret.jwt': jwt({ sub: 'u1', iat: 1 }), 'secret.discord-bot-token': discordToken() };
  for (const [rule, token] of Object.entries(tokens)) {
    const text = `${filler}const value = "${token}";\n${filler}`;
    assert.ok(mayHaveSecrets(utf8(text), 'typescript', 'src/app.ts'), `${rule} screened out`);
    assert.ok(analyze(text, { path: 'src/app.ts', config: { only: ['secret'] } }).findings.some((f) => f.ruleId === rule), `${rule} not found`);
  }
});

test('credentials that need a decoded look pass: assignments, URLs, private keys', () => {
  for (const src of [
    'DB_PASSWORD="hunter2-Xq9!zzT"\n', // shippi-ignore-line secret.* -- test fixture: a made-up password
    // shippi-ignore-next-line secret.* -- test fixture: a made-up database URL
    'const url = "postgres://admin:S3cr3t-Pa55@db.internal:5432/app";\n',
    `const key = \`${pem()}\`;\n`,
    // shippi-ignore-next-line secret.* -- test fixture: a made-up bearer token
    'curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc"\n',
  ]) {
    const text = `${'é'.repeat(20_000)}\n${src}`;
    assert.ok(mayHaveSecrets(utf8(text), 'shell', 'deploy.sh'), src);
    assert.ok(analyze(text, { path: 'deploy.sh', config: { only: ['secret'] } }).findings.length > 0, src);
  }
});

test('assignments without an operator pass the byte check: XML elements, Bearer, Go, PHP define, SQL', () => {
  const cases: [string, string][] = [
    // shippi-ignore-next-line secret.* -- test fixture: a made-up credential
    ['config.xml', '<config>\n  <password>Zq8!vR2#mK5pLw</password>\n</config>\n'],
    // shippi-ignore-next-line secret.* -- test fixture: a made-up credential
    ['notes.md', 'Send bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc with each call.\n'],
    // shippi-ignore-next-line secret.* -- test fixture: a made-up credential
    ['db.go', 'var dbPassword string = "Zq8!vR2#mK5pLw"\n'],
    // shippi-ignore-next-line secret.* -- test fixture: a made-up credential
    ['wp-config.php', "<?php\ndefine('DB_PASSWORD', 'Zq8!vR2#mK5pLw');\n"],
    // shippi-ignore-next-line secret.* -- test fixture: a made-up credential
    ['schema.sql', "CREATE USER app WITH PASSWORD 'Zq8!vR2#mK5pLw';\n"],
  ];
  for (const [path, src] of cases) {
    const text = `${'é'.repeat(20_000)}\n${src}`;
    const language = languageFromPath(path);
    assert.ok(analyze(text, { path, config: { only: ['secret'] } }).findings.length > 0, `${path}: no finding`);
    assert.ok(mayHaveSecrets(utf8(text), language, path), `${path}: screened out`);
  }
});

test('ordinary code with credential-like names is ruled out without decoding', () => {
  const code = [
    'const token = scanner.next();',
    'if (password === confirm) submit();',
    'const key: string = props.name;',
    'fetch("https://example.com/api/v1/items")',
    'let apiKey = process.env.API_KEY;',
    'map.set(key, value);',
  ].join('\n');
  assert.not.ok(mayHaveSecrets(utf8(code.repeat(200)), 'typescript', 'src/app.ts'));
  // Names followed by anything but an assignment (as in parsers and lookup tables) are ruled out on the bytes.
  for (const [line, name] of [
    ['return formatDistanceLocale[token];', 'token'],
    ['if (token() === 19) next();', 'token'],
    ['return token >= tt._in && token <= tt.decimal;', 'token'],
    ['case 64 /* EqualsToken */:', 'EqualsToken'],
    ['for (const apiKey of keys) use(apiKey);', 'apiKey'],
  ]) {
    const bytes = utf8(line!);
    assert.not.ok(mayBeAssignmentBytes(bytes, line!.indexOf(name!) + name!.length, 'javascript'), line);
  }
  assert.ok(mayBeAssignmentBytes(utf8('const apiKey = "x";'), 'const apiKey'.length, 'javascript'));
});

test('the unicode screen keeps every character its rules look for, in code and in prose', () => {
  const hidden = /[\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060-\u2064\u180E\u3164\u115F\u1160\uFFA0\uFEFF\uDB40]/;
  const lookalike = /[\u0370-\u03FF\u0400-\u052F\u1F00-\u1FFF]/;
  let kept = 0;
  for (let cp = 0x80; cp <= 0xe03ff; cp = cp === 0xffff ? 0xe0000 : cp + 1) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const bytes = utf8(`a${ch}b`);
    if (hidden.test(ch)) {
      assert.ok(unicodeFamily.screen!(bytes, { path: 'a.md', language: 'markdown', config: {}, ascii: false, text: () => '' }), cp.toString(16));
      kept++;
    }
    if (lookalike.test(ch)) assert.ok(unicodeFamily.screen!(bytes, { path: 'a.ts', language: 'typescript', config: {}, ascii: false, text: () => '' }), cp.toString(16));
  }
  assert.ok(kept > 1000, `${kept}`);
  // Ordinary non-ASCII text (accents, CJK, typographic quotes) is ruled out.
  assert.not.ok(unicodeFamily.screen!(utf8('Größe “quoted” — 日本語 …'), { path: 'a.ts', language: 'typescript', config: {}, ascii: false, text: () => '' }));
});

test('a file no family could report on needs no decoding at all', () => {
  assert.equal(screenBytes(utf8('export function add(a, b) { return a + b; }\n'), { path: 'src/add.js' }), []);
  assert.ok(screenBytes(utf8('el.innerHTML = location.hash;\n'), { path: 'src/x.js' }).includes('javascript'));
});

test.run();
