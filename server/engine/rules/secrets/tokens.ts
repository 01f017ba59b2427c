/**
 * Provider tokens recognised by their shape: a literal prefix (or a tell-tale separator) plus a verified
 * body. Each matcher is a sticky regex tried only where the trigger automaton (triggers.ts) saw its prefix
 * start a token, so the cost per file is one pass over the text, not one pass per provider.
 */
import { entropy, charClasses, hasValidGitHubChecksum, isPlaceholder } from './values.js';

/** A token matcher anchored at a word start. */
export interface TokenMatcher {
  readonly rule: string;
  /** Sticky regex matching the whole token at the word start. */
  readonly re: RegExp;
  /** Extra verification of the matched token (checksums, decoding, character mix). */
  readonly verify?: (token: string, text: string) => boolean;
  /** Leading characters that locate the secret but are not part of it (`AccountKey=`). */
  readonly skip?: number;
  /** Shapes that also occur inside base64 blobs (inline fonts, images) must not follow a '/' or '+'. */
  readonly notInBase64?: boolean;
}

const B = '(?![A-Za-z0-9_-])'; // token end: no further token characters
const BA = '(?![A-Za-z0-9])';

function m(rule: string, source: string, verify?: (token: string, text: string) => boolean): TokenMatcher {
  return verify ? { rule, re: new RegExp(source, 'y'), verify } : { rule, re: new RegExp(source, 'y') };
}

/** Random enough and not a placeholder, judged on the part after a fixed prefix. */
function randomAfter(prefixLength: number, minEntropy = 3): (token: string) => boolean {
  return (token) => {
    const body = token.slice(prefixLength);
    return !isPlaceholder(body) && entropy(body) >= Math.min(minEntropy, Math.log2(body.length) - 0.7);
  };
}

function mixed(prefixLength: number): (token: string) => boolean {
  const random = randomAfter(prefixLength);
  return (token) => random(token) && charClasses(token.slice(prefixLength)) >= 2;
}

function decodeBase64Url(part: string): string | undefined {
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    return atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    return undefined;
  }
}

/** A JWT: a JSON header with `alg`, a JSON payload, a signature; not the jwt.io sample, not a public anon key. */
function isRealJwt(token: string): boolean {
  const [h, p, signature] = token.split('.');
  if (isPlaceholder(signature!)) return false;
  const header = decodeBase64Url(h!);
  const payload = decodeBase64Url(p!);
  if (!header || !payload || !/"alg"\s*:/.test(header) || !payload.startsWith('{')) return false;
  if (/"alg"\s*:\s*"none"/i.test(header)) return false;
  if (/John Doe|"sub"\s*:\s*"1234567890"/.test(payload)) return false; // the jwt.io sample
  if (/"role"\s*:\s*"anon"/.test(payload)) return false; // Supabase anon keys are public by design
  // Issued tokens carry registered or identity claims; `{"some":"payload"}` is a library's demo.
  if (!/"(?:iss|sub|aud|exp|nbf|iat|jti|role|user|user_?id|uid|email|scope|scp|azp|client_id|tid|oid|name)"\s*:/.test(payload)) return false;
  return true;
}

/** A Discord bot token starts with the base64 of the bot's numeric id. */
function isDiscordToken(token: string): boolean {
  const id = decodeBase64Url(token.slice(0, token.indexOf('.')));
  return id !== undefined && /^\d{17,20}$/.test(id) && randomAfter(token.lastIndexOf('.') + 1)(token);
}

/**
 * Token formats with a literal prefix. Each is tried where its prefix starts a token (see triggers.ts, which
 * derives the prefixes from these regexes).
 */
export const MATCHERS: readonly TokenMatcher[] = [
  m('secret.aws-access-key-id', `(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}${BA}`, mixed(4)),
  m('secret.github-token', `gh[pousr]_[A-Za-z0-9]{36}${B}`, (t) => hasValidGitHubChecksum(t.slice(4))),
  m('secret.github-fine-grained-token', `github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${B}`, mixed(11)),
  m('secret.gitlab-token', `gl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|soat|ffct|agent)-[A-Za-z0-9_.-]{20,200}${B}`, mixed(6)),
  m('secret.grafana-token', `glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}${BA}`, mixed(5)),
  m('secret.grafana-token', 'glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9+/=])', mixed(4)),
  m('secret.slack-token', `xox[abposre]-(?:\\d{1,20}-)?[A-Za-z0-9-]{10,250}${B}`, (t) => /\d/.test(t) && randomAfter(5)(t)),
  m('secret.slack-token', `xapp-\\d-[A-Z0-9]{1,20}-\\d{1,20}-[a-f0-9]{32,128}${BA}`, (t) => randomAfter(t.lastIndexOf('-') + 1)(t)),
  m('secret.stripe-secret-key', `sk_live_[A-Za-z0-9]{24,99}${BA}`, mixed(8)),
  m('secret.stripe-secret-key', `rk_live_[A-Za-z0-9]{24,99}${BA}`, mixed(8)),
  m('secret.stripe-webhook-secret', 'whsec_[A-Za-z0-9+/=]{32,128}(?![A-Za-z0-9+/=])', mixed(6)),
  m('secret.google-api-key', `AIza[A-Za-z0-9_-]{35}${B}`, mixed(4)),
  m('secret.google-oauth-client-secret', `GOCSPX-[A-Za-z0-9_-]{28}${B}`, mixed(7)),
  m('secret.google-oauth-token', `ya29\\.[A-Za-z0-9_-]{30,2048}${B}`, mixed(5)),
  m('secret.anthropic-api-key', `sk-ant-[a-z]{2,10}\\d{0,3}-[A-Za-z0-9_-]{32,256}${B}`, mixed(14)),
  m('secret.openai-api-key', `sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,256}${B}`, mixed(8)),
  m('secret.openai-api-key', `sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${B}`, mixed(3)),
  m('secret.openai-api-key', `sk-[A-Za-z0-9]{48}${B}`, mixed(3)),
  m('secret.huggingface-token', `hf_[A-Za-z0-9]{34}${BA}`, mixed(3)),
  { ...m('secret.azure-storage-key', 'AccountKey=[A-Za-z0-9+/]{86}==', mixed(11)), skip: 11 },
  m('secret.twilio-api-key', `SK[0-9a-fA-F]{32}${BA}`, (t, text) => /twilio/i.test(text) && randomAfter(2)(t)),
  m('secret.sendgrid-api-key', `SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${B}`, mixed(3)),
  m('secret.mailgun-api-key', `key-[0-9a-f]{32}${BA}`, randomAfter(4)),
  m('secret.npm-token', `npm_[A-Za-z0-9]{36}${BA}`, (t) => hasValidGitHubChecksum(t.slice(4))),
  m('secret.pypi-token', `pypi-AgE[A-Za-z0-9_-]{50,512}${B}`, mixed(20)),
  m('secret.dockerhub-token', `dckr_pat_[A-Za-z0-9_-]{27}${B}`, mixed(9)),
  m('secret.shopify-token', `shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}${BA}`, randomAfter(6)),
  m('secret.digitalocean-token', `do[por]_v1_[a-f0-9]{64}${BA}`, randomAfter(7)),
  m('secret.heroku-api-key', `HRKU-[A-Za-z0-9_-]{50,70}${B}`, mixed(5)),
  m('secret.jwt', `eyJ[A-Za-z0-9_-]{8,1024}\\.eyJ[A-Za-z0-9_-]{8,4096}\\.[A-Za-z0-9_-]{16,1024}${B}`, isRealJwt),
  m('secret.linear-api-key', `lin_(?:api|oauth)_[A-Za-z0-9]{40}${BA}`, mixed(8)),
  m('secret.notion-token', `ntn_[0-9]{11}[A-Za-z0-9]{35}${BA}`, mixed(15)),
  m('secret.notion-token', `secret_[A-Za-z0-9]{43}${BA}`, (t, text) => /notion/i.test(text) && mixed(7)(t)),
  m('secret.atlassian-api-token', 'ATATT3[A-Za-z0-9_=-]{150,400}(?![A-Za-z0-9_=-])', mixed(6)),
  m('secret.vault-token', `hv[sbr]\\.[A-Za-z0-9_-]{24,256}${B}`, mixed(4)),
  m('secret.doppler-token', `dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}${BA}`, (t) => mixed(t.indexOf('.', 3) + 1)(t)),
  m('secret.pulumi-token', `pul-[a-f0-9]{40}${BA}`, randomAfter(4)),
  m('secret.square-token', `sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}${B}`, mixed(7)),
  m('secret.planetscale-token', `pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}${B}`, (t) => mixed(t.indexOf('_', 7) + 1)(t)),
  m('secret.supabase-key', `sbp_(?:oauth_)?[a-f0-9]{40}${BA}`, randomAfter(4)),
  m('secret.supabase-key', `sb_secret_[A-Za-z0-9_-]{31,128}${B}`, mixed(10)),
  m('secret.age-secret-key', `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}${BA}`, randomAfter(16)),
  m('secret.sentry-token', 'sntrys_eyJ[A-Za-z0-9_=+/.-]{40,512}(?![A-Za-z0-9_=+/.-])', mixed(7)),
  m('secret.sentry-token', `sntryu_[a-f0-9]{64}${BA}`, randomAfter(7)),
  m('secret.postman-api-key', `PMAK-[a-f0-9]{24}-[a-f0-9]{34}${BA}`, randomAfter(5)),
  m('secret.newrelic-key', `NR(?:AK-[A-Z0-9]{27}|JS-[a-f0-9]{19}|II-[A-Za-z0-9_-]{32})${B}`, mixed(5)),
  m('secret.databricks-token', `dapi[a-f0-9]{32}(?:-\\d)?${BA}`, randomAfter(4)),
  m('secret.flyio-token', `fo1_[A-Za-z0-9_-]{43}${B}`, mixed(4)),
  m('secret.alibaba-access-key-id', `LTAI[A-Za-z0-9]{12,20}${BA}`, mixed(4)),
  m('secret.netlify-token', `nfp_[A-Za-z0-9]{36}${BA}`, mixed(4)),
  m('secret.replicate-api-token', `r8_[A-Za-z0-9]{37}${BA}`, mixed(3)),
  m('secret.groq-api-key', `gsk_[A-Za-z0-9]{52}${BA}`, mixed(4)),
  m('secret.perplexity-api-key', `pplx-[A-Za-z0-9]{48}${BA}`, mixed(5)),
  m('secret.mapbox-secret-token', `sk\\.eyJ1[A-Za-z0-9_-]{40,300}\\.[A-Za-z0-9_-]{20,64}${B}`, mixed(7)),
  m('secret.dropbox-token', `sl\\.[A-Za-z0-9_-]{130,200}${B}`, mixed(3)),
  // Real X bearer tokens are URL-encoded (%2B, %2F, %3D); a run of A's in a base64 blob is not.
  { ...m('secret.twitter-bearer-token', `A{21,22}[A-Za-z0-9%]{80,160}${BA}`, (t) => /%[0-9A-F]{2}/.test(t) && mixed(22)(t)), notInBase64: true },
  { ...m('secret.facebook-access-token', `EAA[A-Za-z0-9]{100,300}${BA}`, mixed(3)), notInBase64: true },
  m('secret.bitbucket-app-password', `ATBB[A-Za-z0-9_=.-]{28,64}${B}`, mixed(4)),
  m('secret.figma-token', `figd_[A-Za-z0-9_-]{40,64}${B}`, mixed(5)),
  m('secret.tailscale-key', `tskey-(?:auth|api|client|webhook|scim)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64}${BA}`, (t) => mixed(t.lastIndexOf('-') + 1)(t)),
  m('secret.buildkite-token', `bkua_[a-f0-9]{40}${BA}`, randomAfter(5)),
  m('secret.contentful-token', `CFPAT-[A-Za-z0-9_-]{43}${B}`, mixed(6)),
  m('secret.xai-api-key', `xai-[A-Za-z0-9]{80}${BA}`, mixed(4)),
  m('secret.openrouter-api-key', `sk-or-v1-[a-f0-9]{64}${BA}`, randomAfter(9)),
  m('secret.langsmith-api-key', `lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${BA}`, randomAfter(8)),
  m('secret.sonarqube-token', `sq[upa]_[a-f0-9]{40}${BA}`, randomAfter(4)),
  m('secret.rubygems-api-key', `rubygems_[a-f0-9]{48}${BA}`, randomAfter(9)),
  m('secret.hubspot-token', `pat-[a-z]{2}\\d-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}${BA}`, randomAfter(8)),
  m('secret.dynatrace-token', `dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}${BA}`, randomAfter(7)),
];

/** Matchers whose token starts with a word start followed by something other than a literal prefix. */
export const TELEGRAM = m('secret.telegram-bot-token', `\\d{8,10}:AA[A-Za-z0-9_-]{33}${B}`, mixed(12));
export const MAILCHIMP = m('secret.mailchimp-api-key', `[0-9a-f]{32}-us\\d{1,2}${BA}`, (t) => randomAfter(0)(t.slice(0, 32)));
export const TERRAFORM = m('secret.terraform-cloud-token', `[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])`, mixed(23));
export const AZURE_AD = m('secret.azure-ad-client-secret', `(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`, mixed(6));
export const DISCORD = m('secret.discord-bot-token', `[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}${B}`, isDiscordToken);

/** Try a matcher at a position; the matched token or undefined. */
export function tryMatch(matcher: TokenMatcher, text: string, at: number): string | undefined {
  matcher.re.lastIndex = at;
  const found = matcher.re.exec(text);
  if (!found) return undefined;
  const token = found[0];
  return !matcher.verify || matcher.verify(token, text) ? token : undefined;
}
