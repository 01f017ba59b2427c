import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES, analyze, scan, type Finding } from '../../server/engine/index.js';
import { mark } from '../helpers/mark.js';
import { B64, BASE32, HEX, badChecksum, checksummed, discordToken, jwt, pem, providerTokens, rand, seed } from './secrets-tokens.js';

const only = { only: ['secret' as const] };
const run = (src: string, path = 'app.ts'): Finding[] => scan(src, { path, config: only });
/** Rule ids and spans, never values: a failing assertion must not print a token. */
const shape = (fs: Finding[]): [string, number, number][] => fs.map((f) => [f.ruleId, f.start, f.end]);
const tokens = providerTokens();

for (const [rule, token] of Object.entries(tokens)) {
  test(`${rule}: a token in a string literal is found with its exact span`, () => {
    const [src, at] = mark(`const value = "«${token}»";\n`);
    assert.equal(shape(run(src)), [[rule, at.start, at.end]]);
  });

  test(`${rule}: the same shape with a placeholder body is not a finding`, () => {
    const fake = token.slice(0, token.length - 20) + 'x'.repeat(20);
    assert.equal(shape(run(`const value = "${fake}";\n`)), []);
  });

  test(`${rule}: the token glued to a longer word is not a finding`, () => {
    assert.equal(shape(run(`const value = "Zq${token}";\n`)).filter(([r]) => r === rule), []);
  });
}

test('a GitHub token with a wrong checksum is not a GitHub token', () => {
  seed(7);
  const good = checksummed('ghp_');
  assert.equal(shape(run(`x = "${good}"`)).map(([r]) => r), ['secret.github-token']);
  assert.equal(shape(run(`x = "${badChecksum(good)}"`)).map(([r]) => r).includes('secret.github-token'), false);
});

test('every GitHub classic prefix (ghp_, gho_, ghu_, ghs_, ghr_) is checked the same way', () => {
  seed(8);
  for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
    const t = checksummed(prefix);
    assert.equal(run(`token: ${t}`, 'ci.yml').map((f) => f.ruleId), ['secret.github-token'], prefix);
    assert.equal(run(`token: ${badChecksum(t)}`, 'ci.yml').some((f) => f.ruleId === 'secret.github-token'), false, prefix);
  }
});

test('an npm token is verified by the same CRC-32 checksum', () => {
  seed(9);
  const t = checksummed('npm_');
  assert.equal(run(`//registry.npmjs.org/:_authToken=${t}`, '.npmrc').map((f) => f.ruleId), ['secret.npm-token']);
  assert.equal(run(`//registry.npmjs.org/:_authToken=${badChecksum(t)}`, '.npmrc').some((f) => f.ruleId === 'secret.npm-token'), false);
});

test('the documented AWS example key id is not a finding; a random one is', () => {
  assert.equal(run('aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"', 'creds.py'), []);
  seed(10);
  assert.equal(run(`aws_access_key_id = "AKIA${rand(16, BASE32)}"`, 'creds.py').map((f) => f.ruleId), ['secret.aws-access-key-id']);
});

test('an AWS secret access key is found by its setting name, not by its shape alone', () => {
  seed(11);
  const secret = rand(40, B64);
  const [src, at] = mark(`aws_secret_access_key = «${secret}»\n`);
  assert.equal(shape(run(src, 'credentials.ini')), [['secret.aws-secret-access-key', at.start, at.end]]);
  assert.equal(run(`const checksum = "${secret}";`), []);
});

test('an AWS secret next to its key id in CSV-like text is found through the pair', () => {
  seed(12);
  const id = 'AKIA' + rand(16, BASE32);
  const secret = rand(40, B64);
  const [src, at] = mark(`user,key,secret\ndeploy,${id},«${secret}»\n`);
  const found = shape(run(src, 'keys.csv'));
  assert.equal(found.map(([r]) => r), ['secret.aws-access-key-id', 'secret.aws-secret-access-key']);
  assert.equal(found[1], ['secret.aws-secret-access-key', at.start, at.end]);
});

test('Twilio: an SK key needs Twilio context; an auth token is found by its setting name', () => {
  seed(13);
  const sk = 'SK' + rand(32, HEX);
  assert.equal(run(`const key = "${sk}";`), []);
  assert.equal(run(`const twilio = require("twilio");\nconst key = "${sk}";`).map((f) => f.ruleId), ['secret.twilio-api-key']);
  assert.equal(run(`TWILIO_AUTH_TOKEN=${rand(32, HEX)}`, '.env').map((f) => f.ruleId), ['secret.twilio-auth-token']);
  assert.equal(run(`TWILIO_ACCOUNT_SID=AC${rand(32, HEX)}`, '.env'), []);
});

test('Heroku and Datadog keys without a prefix are recognised by their setting names', () => {
  seed(14);
  const uuid = `${rand(8, HEX)}-${rand(4, HEX)}-4${rand(3, HEX)}-a${rand(3, HEX)}-${rand(12, HEX)}`;
  assert.equal(run(`HEROKU_API_KEY=${uuid}`, '.env').map((f) => f.ruleId), ['secret.heroku-api-key']);
  assert.equal(run(`DD_API_KEY=${rand(32, HEX)}`, '.env').map((f) => f.ruleId), ['secret.datadog-api-key']);
  assert.equal(run(`datadog:\n  app_key: "${rand(40, HEX)}"\n`, 'values.yaml').length, 1);
  assert.equal(run(`request_id = "${uuid}"`, 'x.py'), [], 'a UUID in an id field is not a secret');
});

test('Slack and Discord webhooks are found as whole URLs; the bare hosts are not', () => {
  seed(15);
  const slack = `https://hooks.slack.com/services/T${rand(8, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}/B${rand(10, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}/${rand(24)}`;
  const [src, at] = mark(`const hook = "«${slack}»";`);
  assert.equal(shape(run(src)), [['secret.slack-webhook', at.start, at.end]]);
  const discord = `https://discord.com/api/webhooks/${rand(18, '0123456789')}/${rand(68, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-')}`;
  assert.equal(run(`url = "${discord}"`, 'bot.py').map((f) => f.ruleId), ['secret.discord-webhook']);
  assert.equal(run('See https://hooks.slack.com/services/ for setup and https://discord.com/api/webhooks/{id}/{token}.', 'README.md'), []);
});

test('a Discord bot token is recognised by its base64 bot id; a look-alike is not', () => {
  seed(16);
  assert.equal(run(`client.login("${discordToken()}");`, 'bot.js').map((f) => f.ruleId), ['secret.discord-bot-token']);
  const lookalike = `M${rand(25, 'abcdefghijklmnopqrstuvwxyz')}.${rand(6)}.${rand(30)}`;
  assert.equal(run(`client.login("${lookalike}");`, 'bot.js'), []);
});

test('Facebook- and X-token shapes inside a base64 blob are not findings', () => {
  const blob = `src: url(data:font/woff2;base64,d09GMgABAAAAA${rand(40, B64)}/EAA${rand(120)}/${'A'.repeat(22)}${rand(90)}+${rand(30, B64)}==)`;
  assert.equal(run(blob, 'styles.css'), []);
});

test('a Telegram bot token inside a Bot API URL is found after the "bot" path prefix', () => {
  const token = tokens['secret.telegram-bot-token']!;
  const [src, at] = mark(`curl "https://api.telegram.org/bot«${token}»/getMe"`);
  assert.equal(shape(run(src, 'ping.sh')), [['secret.telegram-bot-token', at.start, at.end]]);
});

test('Azure storage connection strings report the AccountKey value only', () => {
  seed(17);
  const key = rand(86, B64) + '==';
  const [src, at] = mark(`"DefaultEndpointsProtocol=https;AccountName=prodstore;AccountKey=«${key}»;EndpointSuffix=core.windows.net"`);
  assert.equal(shape(run(src, 'appsettings.json')), [['secret.azure-storage-key', at.start, at.end]]);
});

test('JWTs: a real-looking token is found; the jwt.io sample and Supabase anon keys are not', () => {
  seed(18);
  assert.equal(run(`const t = "${jwt({ sub: 'user-7', iat: 1700000000 })}";`).map((f) => f.ruleId), ['secret.jwt']);
  assert.equal(run(`const t = "${jwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}";`), []);
  assert.equal(run(`const anon = "${jwt({ iss: 'supabase', role: 'anon' })}";`), []);
});

test('PEM, OpenSSH and PGP private keys are found as whole blocks', () => {
  seed(19);
  for (const label of ['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']) {
    const block = pem(label);
    const [src, at] = mark(`key = """«${block}»"""\n`);
    assert.equal(shape(run(src, 'deploy.py')), [['secret.private-key', at.start, at.end]], label);
  }
});

test('a private key inside a JSON string with \\n escapes is found', () => {
  seed(20);
  const src = `{"key": "${pem('PRIVATE KEY', '\\n')}\\n"}`;
  assert.equal(run(src, 'key.json').map((f) => f.ruleId), ['secret.private-key']);
});

test('public keys, certificates and elided key blocks are not findings', () => {
  seed(21);
  assert.equal(run(pem('PUBLIC KEY'), 'id.pub'), []);
  assert.equal(run(pem('CERTIFICATE'), 'ca.crt'), []);
  assert.equal(run('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----', 'README.md'), []);
  assert.equal(run('-----BEGIN OPENSSH PRIVATE KEY-----\n<your key here>\n-----END OPENSSH PRIVATE KEY-----', 'docs.md'), []);
});

test('code that mentions a key marker without a base64 body is not a finding', () => {
  const src = "if (pem.startsWith('-----BEGIN PRIVATE KEY-----')) {\n  return parsePkcs8(pem, options, callback);\n}\n" +
    "const END = '-----END PRIVATE KEY-----';\n";
  assert.equal(run(src, 'keys.ts'), []);
});

test('every secrets rule has complete metadata, and there are at least 40 provider rules', () => {
  const rules = ALL_RULES.filter((r) => r.category === 'secret');
  for (const r of rules) {
    assert.ok(/^secret\.[a-z0-9-]+$/.test(r.id), r.id);
    assert.ok(r.title && r.description.length > 40 && r.fix.length > 40, r.id);
    assert.ok(r.cwe.includes('CWE-798') || r.cwe.includes('CWE-522') || r.cwe.includes('CWE-312'), r.id);
    assert.ok(r.owasp.some((o) => /^A0[27]:2021-/.test(o)), r.id);
    assert.ok(r.examples.length > 0 && r.examples[0]!.bad.length > 0, r.id);
  }
  const generic = ['secret.private-key', 'secret.database-url-password', 'secret.url-basic-auth', 'secret.generic-assignment', 'secret.jwt'];
  assert.ok(rules.filter((r) => !generic.includes(r.id)).length >= 40);
});

test('rule examples in the metadata are placeholders, not findings', () => {
  for (const r of ALL_RULES.filter((x) => x.category === 'secret')) {
    for (const ex of r.examples) assert.equal(run(ex.bad, 'example.txt').map((f) => f.ruleId), [], r.id);
  }
});

test('a Google service-account JSON reports its private key as the service-account rule', () => {
  seed(22);
  const sa = JSON.stringify({ type: 'service_account', project_id: 'demo-prod', private_key_id: rand(40, HEX), private_key: pem('PRIVATE KEY') + '\n', client_email: 'ci@demo-prod.iam.gserviceaccount.com' }, null, 2);
  const found = run(sa, 'sa.json');
  assert.equal(found.map((f) => f.ruleId), ['secret.google-service-account']);
  assert.ok(sa.slice(found[0]!.start, found[0]!.end).startsWith('-----BEGIN PRIVATE KEY-----'));
});

test('database and broker URLs with passwords are found; the password is the span', () => {
  seed(23);
  for (const scheme of ['postgres', 'postgresql', 'mysql', 'mongodb+srv', 'redis', 'amqps']) {
    const pw = rand(16);
    const [src, at] = mark(`DATABASE_URL=${scheme}://app:«${pw}»@db.internal:5432/app`);
    assert.equal(shape(run(src, '.env')), [['secret.database-url-password', at.start, at.end]], scheme);
  }
});

test('URL credentials that are placeholders, references or dummies are not findings', () => {
  const decoys = [
    'postgres://user:password@localhost/db', 'postgres://postgres:postgres@localhost:5432/test',
    'mysql://root:${MYSQL_ROOT_PASSWORD}@db/app', 'redis://:<password>@cache:6379', 'amqp://guest:guest@rabbit:5672',
    'mongodb://admin:****@mongo/admin', 'postgres://app:%s@%s/app', 'https://user:pass@example.com', 'http://localhost:8080/path',
  ];
  for (const d of decoys) assert.equal(run(`url = "${d}"`, 'config.py'), [], d);
});

test('basic-auth credentials in http(s) URLs are found', () => {
  seed(24);
  const [src, at] = mark(`git clone https://deploy:«${rand(20)}»@git.example.org/team/app.git`);
  assert.equal(shape(run(src, 'deploy.sh')), [['secret.url-basic-auth', at.start, at.end]]);
});

test('a Sentry DSN is found (low severity) by its key and ingest host', () => {
  seed(25);
  const [src, at] = mark(`Sentry.init({ dsn: "https://«${rand(32, HEX)}»@o123456.ingest.sentry.io/4504000000000000" });`);
  const found = run(src, 'main.js');
  assert.equal(shape(found), [['secret.sentry-dsn', at.start, at.end]]);
  assert.is(found[0]!.severity, 'low');
});

test('OpenAI legacy and project keys and Anthropic keys are told apart', () => {
  seed(26);
  const legacy = `sk-${rand(20)}T3BlbkFJ${rand(20)}`;
  assert.equal(run(`OPENAI_API_KEY=${legacy}`, '.env').map((f) => f.ruleId), ['secret.openai-api-key']);
  assert.equal(run(`ANTHROPIC_API_KEY=${tokens['secret.anthropic-api-key']}`, '.env').map((f) => f.ruleId), ['secret.anthropic-api-key']);
  assert.equal(run('const task = "sk-learn-style-ids-are-not-keys";'), []);
});

test('tokens are found in YAML, .env, Python, Go and Markdown alike', () => {
  const t = tokens['secret.gitlab-token']!;
  for (const [path, src] of [['ci.yml', `token: ${t}`], ['.env', `GITLAB_TOKEN=${t}`], ['a.py', `TOKEN = '${t}'`], ['main.go', `token := "${t}"`], ['README.md', `Run \`glab auth login --token ${t}\``]]) {
    assert.equal(run(src!, path).map((f) => f.ruleId), ['secret.gitlab-token'], path);
  }
});

test('findings never carry the value: the message omits it and the redacted form is short', () => {
  for (const [rule, token] of Object.entries(tokens)) {
    const [f] = run(`const value = "${token}";`);
    assert.ok(f, rule);
    assert.is(f!.message.includes(token), false, rule);
    assert.is(f!.redacted!.includes(token.slice(4, 12)), false, rule);
    assert.is(f!.fingerprint.includes(token), false, rule);
  }
});

test('a token mentioned in prose with only its prefix is not a finding', () => {
  const src = 'Personal tokens start with ghp_, npm tokens with npm_, and Stripe keys with sk_live_ or rk_live_.';
  assert.equal(run(src, 'README.md'), []);
});

test('a demo JWT without any registered or identity claims is not a finding', () => {
  assert.equal(run(`token = "${jwt({ some: 'payload' })}"`, 'README.md'), []);
});

test('long lines of repeated token prefixes and key headers are scanned without a finding', () => {
  for (const unit of ['eyJ-', 'eyJabcdefghij.eyJ', 'glpat-', 'xoxb-1-', '-----BEGIN PRIVATE KEY-----', 'https://a:b', '123456789:AA']) {
    const text = unit.repeat(Math.ceil(2_000_000 / unit.length));
    assert.equal(run(text, 'bundle.min.js'), [], unit);
  }
});

test('a file with more than 10,000 candidates reports the first 10,000 and says so in a note', () => {
  const text = ('password="' + rand(6) + '!' + rand(5) + '"\n').repeat(10_050); // built here: this file stays clean
  const result = analyze(text, { path: 'dump.env', config: only });
  assert.is(result.findings.length, 10_000);
  assert.equal(result.notes.map((n) => n.kind), ['skipped']);
});

test('a 5 MB line and a cancelled scan do not hang', () => {
  const big = 'a'.repeat(5_000_000);
  assert.equal(run(big, 'big.min.js'), []);
  let calls = 0;
  const cancel = { get isCancellationRequested() { return ++calls > 2; } };
  assert.throws(() => scan('x = 1;\n'.repeat(400_000), { path: 'big.js', config: only }, cancel), /cancelled/);
});

test.run();
