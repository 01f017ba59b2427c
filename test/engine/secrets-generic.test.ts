import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scan, type Finding, type Fix } from '../../server/engine/index.js';
import { mark } from '../helpers/mark.js';
import { B64, HEX, providerTokens, rand, seed } from './secrets-tokens.js';

const only = { only: ['secret' as const] };
const run = (src: string, path: string): Finding[] => scan(src, { path, config: only });
const shape = (fs: Finding[]): [string, number, number][] => fs.map((f) => [f.ruleId, f.start, f.end]);
const GENERIC = 'secret.generic-assignment';

function apply(src: string, fix: Fix): string {
  let out = src;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

seed(100);
const pw = `Zt${rand(6)}!${rand(4)}`;
const secret = rand(32, B64);

test('generic assignments are found in every assignment syntax and language', () => {
  const cases: [string, string][] = [
    ['app.ts', `const dbPassword = "«${pw}»";`],
    ['app.js', `module.exports = { apiKey: '«${secret}»' };`],
    ['settings.py', `SECRET_KEY = "«${secret}»"`],
    ['settings.py', `connect(host="db", password="«${pw}»")`],
    ['main.go', `clientSecret := "«${secret}»"`],
    ['config.rb', `config.api_key = '«${secret}»'`],
    ['config.rb', `{ :password => "«${pw}»" }`],
    ['Config.java', `private String password = "«${pw}»";`],
    ['Startup.cs', `var ClientSecret = "«${secret}»";`],
    ['config.php', `'db_password' => '«${pw}»',`],
    ['deploy.sh', `export API_TOKEN="«${secret}»"`],
    ['.env', `SMTP_PASSWORD=«${pw}»`],
    ['config.yaml', `  auth_token: «${secret}»`],
    ['config.json', `{ "client_secret": "«${secret}»" }`],
    ['app.ini', `password = «${pw}»`],
    ['app.properties', `spring.datasource.password=«${pw}»`],
    ['main.tf', `  access_key = "«${secret}»"`],
    ['pom.xml', `<password>«${pw}»</password>`],
    ['Dockerfile', `ENV SERVICE_TOKEN=«${secret}»`],
    ['schema.sql', `CREATE ROLE app WITH LOGIN PASSWORD '«${pw}»';`],
    ['typed.ts', `const apiKey: string = "«${secret}»";`],
    ['typed.ts', `private readonly clientSecret: string | undefined = '«${secret}»';`],
    ['Typed.kt', `val password: String = "«${pw}»"`],
    ['typed.py', `API_TOKEN: str = "«${secret}»"`],
    ['typed.go', `var dbPassword string = "«${pw}»"`],
    ['typed.rs', `let api_key: &str = "«${secret}»";`],
  ];
  for (const [path, marked] of cases) {
    const [src, at] = mark(marked);
    assert.equal(shape(run(src, path)), [[GENERIC, at.start, at.end]], `${path}: ${marked.replace(/«.*»/, '«…»')}`);
  }
});

test('Authorization headers report the credential after the scheme', () => {
  const [src, at] = mark(`headers = {"Authorization": "Bearer «${secret}»"}`);
  assert.equal(shape(run(src, 'client.py')), [[GENERIC, at.start, at.end]]);
});

test('placeholders, references and templates are not findings', () => {
  const decoys: [string, string][] = [
    ['a.ts', 'const password = process.env.DB_PASSWORD;'],
    ['a.ts', 'const apiKey = config.get("apiKey");'],
    ['a.ts', 'const token = `${prefix}-${id}`;'],
    ['a.py', 'password = os.environ["DB_PASSWORD"]'],
    ['a.py', 'password = os.getenv("DB_PASSWORD", "")'],
    ['a.py', 'api_key = f"{base}{suffix}"'],
    ['a.go', 'token := os.Getenv("TOKEN")'],
    ['c.yaml', 'password: ${DB_PASSWORD}'],
    ['c.yaml', 'token: "{{ .Values.token }}"'],
    ['c.yaml', 'api_key: <your-api-key>'],
    ['c.yaml', 'secret: !vault |'],
    ['.env', 'API_KEY=your_api_key_here'],
    ['.env', 'SECRET_KEY=changeme'],
    ['.env', 'PASSWORD=xxxxxxxxxxxx'],
    ['.env', 'TOKEN=***************'],
    ['.env', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['a.sql', "password = '%s'"],
    ['a.ts', 'const password = "";'],
    ['a.ts', 'let token: string = "";'],
    ['a.ts', 'password: string;'],
    ['a.ts', 'function login(password: string, token?: Token) {}'],
    ['a.ts', 'if (password === "") return;'],
    ['a.ts', 'const passwordHash = "$2b$12$' + rand(53, B64) + '";'],
    ['i18n.json', '{ "password": "Password", "token": "Access token", "secret": "Secret" }'],
    ['i18n.ts', "export default { password: 'Enter your password', forgotPassword: 'Forgot password?' };"],
    ['a.ts', 'const tokenType = "Bearer";'],
    ['a.ts', 'const grantType = "client_credentials"; const responseType = "token";'],
    ['a.ts', 'const TOKEN_KEY = "auth_token";'],
    ['a.ts', 'const passwordField = "#password";'],
    ['a.ts', 'const authUrl = "https://auth.example.com/oauth/token";'],
    ['a.ts', 'const secretPath = "/etc/app/secret.json";'],
    ['package-lock.json', '"integrity": "sha512-' + rand(86, B64) + '=="'],
    ['a.ts', `const userId = "${rand(8, HEX)}-${rand(4, HEX)}-4${rand(3, HEX)}-a${rand(3, HEX)}-${rand(12, HEX)}";`],
    ['a.ts', 'const publicKey = "pk_live_' + rand(24) + '";'],
    ['a.ts', 'const maxTokens = 4096;'],
    ['a.ts', 'const key = "' + rand(32) + '";'],
    ['dsa.py', 'def sign(self, private_key: "_DSAPrivateKey", data: bytes) -> bytes: ...'],
    ['crypto.md', 'const aliceSecret = alice.computeSecret(bobKey);'],
    ['oauth.py', '"access_token": "2YotnFZFEjr1zCsicMWpAA",'],
    ['pip.md', 'pip install --index-url https://user:he%2F%2Fo@pypi.company.com/simple'],
    ['ocsp.pyi', '    private_key: typing.Optional[PRIVATE_KEY_TYPES],'],
    ['Tiny.pm', 'my $Token = qr/[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2E\\x30-\\x39\\x41-\\x5A]/;'],
    ['mac.py', `    Authorization: MAC id="${rand(12)}", nonce="264095:dj83hs9s"`],
    ['CHANGELOG.md', 'var matchToToken = jsTokens.matchToToken'],
    ['.env', 'API_TOKEN=settings.SECRET_API_TOKEN'],
    ['a.py', 'client_secret = "self.oauthClient.clientSecret"'],
    ['page.json', `{ "NextToken": "${rand(48, B64)}==", "nextPageToken": "${rand(40, B64)}", "continuation_token": "${rand(44, B64)}" }`],
    ['a.ts', `const idempotencyToken = "${rand(32)}"; const cursorToken = "${rand(32)}";`],
    ['examples-1.json', '"ChangeToken": "abcd12f2-46da-4fdb-b8d5-fbd4c466928f", "output_token": "Jobs[-1].JobId"'],
    ['policies.json', '"IAMUserChangePassword": "arn:aws:iam::aws:policy/IAMUserChangePassword", "EncryptionKey": "arn:aws-cn:kms:cn-north-1:111122223333:key/1a2b"'],
    ['regex_scanner.tcc', '\t_M_token = _S_token_subexpr_no_group_begin;\n\t\t_M_token = __it->second;'],
    ['hpke.pyi', '    private_key: x25519.X25519PrivateKey,'],
    ['credentials.py', "    ACCESS_KEY = 'AWSAccessKeyId'\n    SECRET_KEY = 'AWSSecretKey'"],
    ['rotate-secret.rst', '    "ARN": "arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3",'],
    ['get-ip-set.rst', '        "LockToken":"447e55ac-0000-4b3a-9f5a-4e0a7d6b1c2d"'],
    ['models.py', 'template = f"""ClientRequestToken=\'{self.client_request_token}\'"""'],
  ];
  for (const [path, src] of decoys) assert.equal(shape(run(src, path)), [], `${path}: ${src}`);
});

test('C++ template sources and Python stubs are read as their languages: a quoted secret is still found there', () => {
  const value = rand(24);
  for (const [path, src] of [['impl.tcc', `static const char* api_token = "${value}";`], ['client.pyi', `API_TOKEN = "${value}"`]] as const) {
    assert.equal(run(src, path).map((f) => [f.ruleId, src.slice(f.start, f.end)]), [[GENERIC, value]], `${path}: ${src}`);
  }
});

test('a dotted value is a member chain only when every part is a name: a dotted random value is still a secret', () => {
  const value = `${rand(16)}.${rand(10)}`;
  for (const [path, src] of [['.env', `API_TOKEN=${value}`], ['notes.md', `api_token = ${value}`], ['a.ts', `const apiToken = "${value}";`]] as const) {
    assert.equal(run(src, path).map((f) => [f.ruleId, src.slice(f.start, f.end)]), [[GENERIC, value]], `${path}: ${src}`);
  }
});

test('Bearer tokens in free text and run-together password names are found', () => {
  const [src, at] = mark(`curl -H "Authorization: Bearer «${secret.replace(/[+/]/g, 'x')}»" https://api.example.com/v1/me`);
  assert.equal(shape(run(src, 'call.sh')), [[GENERIC, at.start, at.end]]);
  const [env, pwAt] = mark(`PGPASSWORD=«${pw}»`);
  assert.equal(shape(run(env, '.env')), [[GENERIC, pwAt.start, pwAt.end]]);
  assert.equal(run('Send `Authorization: Bearer <token>` or Bearer YOUR_TOKEN_HERE_PLEASE_1234.', 'README.md'), []);
});

test('readable URL passwords in test files are fixtures, not findings', () => {
  assert.equal(run('url.parse("https://anonymous:flabada@developer.mozilla.org/en-US/docs")', 'test/url.test.ts'), []);
  assert.equal(run('url.parse("https://anonymous:flabada@developer.mozilla.org/en-US/docs")', 'src/url.ts').length, 1);
});

test('dummy passwords are tolerated in test files but reported in application code', () => {
  const src = 'const password = "password123";';
  assert.equal(run(src, 'test/login.test.ts'), []);
  assert.equal(run(src, 'src/__tests__/login.ts'), []);
  assert.equal(run(src, 'src/login.ts').map((f) => f.ruleId), [GENERIC]);
});

test('low-entropy or short values under secret names are not findings', () => {
  for (const value of ['abc', 'abcabcabcabcabc', 'dev', '1234567890123', 'my_secret_value', 'MySecretValue']) {
    assert.equal(run(`const secret = "${value}";`, 'a.ts'), [], value);
  }
});

test('a provider token under a credential name is reported as the provider, once', () => {
  const token = providerTokens()['secret.stripe-secret-key']!;
  assert.equal(run(`STRIPE_API_KEY=${token}`, '.env').map((f) => f.ruleId), ['secret.stripe-secret-key']);
});

const fixCases: [string, string, string][] = [
  ['app.ts', `const dbPassword = "${pw}";\n`, 'const dbPassword = process.env.DB_PASSWORD;\n'],
  ['app.js', `client({ apiKey: '${secret}' });\n`, 'client({ apiKey: process.env.API_KEY });\n'],
  ['settings.py', `DB_PASSWORD = "${pw}"\n`, 'import os\nDB_PASSWORD = os.environ["DB_PASSWORD"]\n'],
  ['main.go', `package main\n\nfunc main() {\n\tclientSecret := "${secret}"\n}\n`, 'package main\n\nimport "os"\n\nfunc main() {\n\tclientSecret := os.Getenv("CLIENT_SECRET")\n}\n'],
  ['config.rb', `config.api_key = '${secret}'\n`, 'config.api_key = ENV["API_KEY"]\n'],
  ['Config.java', `String password = "${pw}";\n`, 'String password = System.getenv("PASSWORD");\n'],
  ['Startup.cs', `var clientSecret = "${secret}";\n`, 'var clientSecret = Environment.GetEnvironmentVariable("CLIENT_SECRET");\n'],
  ['config.php', `$password = '${pw}';\n`, "$password = getenv('PASSWORD');\n"],
  ['deploy.sh', `API_TOKEN="${secret}"\n`, 'API_TOKEN="${API_TOKEN}"\n'],
];

for (const [path, src, expected] of fixCases) {
  test(`fix in ${path}: the literal becomes an environment read and re-scanning finds nothing`, () => {
    const [f] = run(src, path);
    assert.ok(f?.fix, 'a fix is offered');
    const fixed = apply(src, f!.fix!);
    assert.is(fixed, expected);
    assert.equal(run(fixed, path), []);
  });
}

test('provider tokens get a fix named after the variable, or the provider when there is no credential name', () => {
  const token = providerTokens()['secret.github-token']!;
  const [named] = run(`const ghToken = "${token}";\n`, 'a.ts');
  assert.is(apply(`const ghToken = "${token}";\n`, named!.fix!), 'const ghToken = process.env.GH_TOKEN;\n');
  const src = `octokit.auth("${token}");\n`;
  const [bare] = run(src, 'a.ts');
  const fixed = apply(src, bare!.fix!);
  assert.is(fixed, 'octokit.auth(process.env.GITHUB_TOKEN);\n');
  assert.equal(run(fixed, 'a.ts'), []);
});

test('no fix where the shape is unclear: YAML values, URLs, private keys, Go constants, partial literals', () => {
  const token = providerTokens()['secret.github-token']!;
  const noFix: [string, string][] = [
    ['c.yaml', `token: ${token}`],
    ['c.json', `{"token": "${token}"}`],
    ['a.ts', `const url = "https://ci:${rand(20)}@git.example.org/x.git";`],
    ['main.go', `const token = "${token}"`],
    ['a.ts', `const header = "token ${token}";`],
  ];
  for (const [path, src] of noFix) {
    const found = run(src, path);
    assert.is(found.length, 1, path);
    assert.is(found[0]!.fix, undefined, path);
  }
});

test('generic findings name the setting in the message but never the value', () => {
  const [f] = run(`const dbPassword = "${pw}";`, 'a.ts');
  assert.match(f!.message, /dbPassword/);
  assert.is(f!.message.includes(pw), false);
  assert.is(f!.redacted!.includes(pw.slice(2)), false);
});

test.run();
