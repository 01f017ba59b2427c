/**
 * Fake but well-formed provider tokens for the secrets tests, built at run time so the repository itself
 * holds no token-shaped strings. Bodies come from a seeded generator: the same seed gives the same token.
 */
import { crc32 } from 'node:zlib';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62 = ALNUM; // GitHub's checksum alphabet: digits, upper, lower
export const HEX = '0123456789abcdef';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const B64URL = ALNUM + '_-';
export const B64 = ALNUM + '+/';

let state = 0x9e3779b9;

/** Re-seed the generator. */
export function seed(n: number): void {
  state = n >>> 0 || 1;
}

/** `n` random characters from `alphabet` (xorshift32; deterministic after `seed`). */
export function rand(n: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

function base62(n: number, width: number): string {
  let s = '';
  do {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(width, '0');
}

/** A GitHub classic (or npm) token body: 30 random characters and their CRC-32 in base 62. */
export function checksummed(prefix: string): string {
  const body = rand(30);
  return prefix + body + base62(crc32(body), 6);
}

/** The same token with its checksum broken. */
export function badChecksum(token: string): string {
  const last = token[token.length - 1] === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** A signed-looking JWT with the given payload. */
export function jwt(payload: object): string {
  return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${rand(43, B64URL)}`;
}

/** A Discord bot token: base64 of a numeric bot id, a timestamp part and an HMAC part. */
export function discordToken(): string {
  return `${Buffer.from('81234567890123456' + rand(2, '0123456789')).toString('base64').replace(/=+$/, '')}.${rand(6, B64URL)}.${rand(38, B64URL)}`;
}

/** A PEM private key block with a random body. */
export function pem(label = 'RSA PRIVATE KEY', newline = '\n'): string {
  const lines = Array.from({ length: 8 }, () => rand(64, B64));
  return `-----BEGIN ${label}-----${newline}${lines.join(newline)}${newline}-----END ${label}-----`;
}

/** A token for each provider rule, keyed by rule id (one representative shape each). */
export function providerTokens(): Record<string, string> {
  seed(42);
  return {
    'secret.aws-access-key-id': 'AKIA' + rand(16, BASE32),
    'secret.github-token': checksummed('ghp_'),
    'secret.github-fine-grained-token': `github_pat_${rand(22)}_${rand(59)}`,
    'secret.gitlab-token': 'glpat-' + rand(20, B64URL),
    'secret.slack-token': `xoxb-${rand(12, '0123456789')}-${rand(13, '0123456789')}-${rand(24)}`,
    'secret.stripe-secret-key': 'sk_live_' + rand(24),
    'secret.stripe-webhook-secret': 'whsec_' + rand(32),
    'secret.google-api-key': 'AIza' + rand(35, B64URL),
    'secret.google-oauth-client-secret': 'GOCSPX-' + rand(28, B64URL),
    'secret.google-oauth-token': 'ya29.' + rand(60, B64URL),
    'secret.openai-api-key': 'sk-proj-' + rand(64, B64URL),
    'secret.anthropic-api-key': 'sk-ant-api03-' + rand(93, B64URL) + 'AA',
    'secret.huggingface-token': 'hf_' + rand(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'),
    'secret.azure-ad-client-secret': rand(3) + '8Q~' + rand(34),
    'secret.sendgrid-api-key': `SG.${rand(22, B64URL)}.${rand(43, B64URL)}`,
    'secret.mailgun-api-key': 'key-' + rand(32, HEX),
    'secret.mailchimp-api-key': rand(32, HEX) + '-us21',
    'secret.npm-token': checksummed('npm_'),
    'secret.pypi-token': 'pypi-' + 'AgEIcHlwaS5vcmc' + rand(60, B64URL), // split so this file does not scan as a secret
    'secret.dockerhub-token': 'dckr_pat_' + rand(27, B64URL),
    'secret.shopify-token': 'shpat_' + rand(32, HEX),
    'secret.telegram-bot-token': `${rand(10, '0123456789')}:AA${rand(33, B64URL)}`,
    'secret.discord-bot-token': discordToken(),
    'secret.digitalocean-token': 'dop_v1_' + rand(64, HEX),
    'secret.heroku-api-key': 'HRKU-' + rand(60, B64URL),
    'secret.jwt': jwt({ sub: 'svc-deploy', role: 'service_role', iat: 1700000000 }),
    'secret.linear-api-key': 'lin_api_' + rand(40),
    'secret.notion-token': `ntn_${rand(11, '0123456789')}${rand(35)}`,
    'secret.atlassian-api-token': 'ATATT3xFfGF0' + rand(180, B64URL),
    'secret.vault-token': 'hvs.' + rand(90, B64URL),
    'secret.doppler-token': 'dp.pt.' + rand(43),
    'secret.pulumi-token': 'pul-' + rand(40, HEX),
    'secret.square-token': 'sq0atp-' + rand(22, B64URL),
    'secret.planetscale-token': 'pscale_pw_' + rand(43, B64URL),
    'secret.supabase-key': 'sbp_' + rand(40, HEX),
    'secret.age-secret-key': 'AGE-SECRET-KEY-1' + rand(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'),
    'secret.sentry-token': 'sntryu_' + rand(64, HEX),
    'secret.postman-api-key': `PMAK-${rand(24, HEX)}-${rand(34, HEX)}`,
    'secret.grafana-token': `glsa_${rand(32)}_${rand(8, HEX)}`,
    'secret.newrelic-key': 'NRAK-' + rand(27, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    'secret.terraform-cloud-token': `${rand(14)}.atlasv1.${rand(67, B64URL)}`,
    'secret.databricks-token': 'dapi' + rand(32, HEX),
    'secret.flyio-token': 'fo1_' + rand(43, B64URL),
    'secret.alibaba-access-key-id': 'LTAI' + rand(20),
    'secret.netlify-token': 'nfp_' + rand(36),
    'secret.replicate-api-token': 'r8_' + rand(37),
    'secret.groq-api-key': 'gsk_' + rand(52),
    'secret.perplexity-api-key': 'pplx-' + rand(48),
    'secret.xai-api-key': 'xai-' + rand(80),
    'secret.mapbox-secret-token': `sk.eyJ1${rand(60, B64URL)}.${rand(22, B64URL)}`,
    'secret.dropbox-token': 'sl.' + rand(140, B64URL),
    'secret.twitter-bearer-token': 'A'.repeat(22) + rand(40) + '%2B' + rand(30) + '%3D' + rand(20),
    'secret.facebook-access-token': 'EAA' + rand(180),
    'secret.bitbucket-app-password': 'ATBB' + rand(32),
    'secret.figma-token': 'figd_' + rand(40, B64URL),
    'secret.tailscale-key': `tskey-auth-${rand(12)}-${rand(33)}`,
    'secret.buildkite-token': 'bkua_' + rand(40, HEX),
    'secret.contentful-token': 'CFPAT-' + rand(43, B64URL),
    'secret.openrouter-api-key': 'sk-or-v1-' + rand(64, HEX),
    'secret.langsmith-api-key': `lsv2_pt_${rand(32, HEX)}_${rand(10, HEX)}`,
    'secret.sonarqube-token': 'squ_' + rand(40, HEX),
    'secret.rubygems-api-key': 'rubygems_' + rand(48, HEX),
    'secret.hubspot-token': `pat-na1-${rand(8, HEX)}-${rand(4, HEX)}-${rand(4, HEX)}-${rand(4, HEX)}-${rand(12, HEX)}`,
    'secret.dynatrace-token': `dt0c01.${rand(24, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}.${rand(64, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
  };
}
