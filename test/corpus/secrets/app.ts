// @ts-nocheck — a corpus file: realistic source with fake credentials, never compiled.
import { Octokit } from '@octokit/rest';
import twilio from 'twilio';

// Keys read from the environment are fine.
const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });
const apiKey: string = process.env.API_KEY ?? '';
let sessionToken: string | undefined;
type Credentials = { password: string; token?: string };

export const legacyClient = new Octokit({ auth: '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' }); // expect: secret.github-token
export const forkClient = new Octokit({ auth: 'ghp_Mu4mLo2WuecjhqKb2rqvX0Z6Djk8Tu4EccRA' });
export const botToken = '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'; // expect: secret.github-fine-grained-token
export const serviceJwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtZGVwbG95Iiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMH0.D4wb-esniJHfOzDZEu34_GzMDU134qnTNT8TyFawUhN'; // expect: secret.jwt
export const sampleJwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.AHmkT1f6-_KV7QWzHbKYu_h1gdn014GoLqgWyoeb3OD';
export const discordBot = 'ODEyMzQ1Njc4OTAxMjM0NTYyNA.uzReV2.utilTnj1VaZT2g8HuecZHXuR8QuPRQlArnES1V'; // expect: secret.discord-bot-token
export const discordHook = 'https://discord.com/api/webhooks/499561066159165233/pqfuMivWxUW2aRRbNHFU83dGQ0CQJcc-XxqwI2lNbx5QRSTwCY7F8qDWSypXlyut4cxo'; // expect: secret.discord-webhook
export const telegramBot = '5172137606:AAhutTdQV5mf6237iYgzgoRzp1C0u58a59G'; // expect: secret.telegram-bot-token
export const mapsKey = 'AIzam0quj0C7tZO-4kTqrbfn5AvxvQy9Z6Gz4mG'; // expect: secret.google-api-key
export const googleClientSecret = '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'; // expect: secret.google-oauth-client-secret
export const googleAccess = 'ya29.RnRwMdbtd1YWVClKvredHx2s4iUE353AKkfZGSA0pQLjg_qDsFzw-pMALa0a'; // expect: secret.google-oauth-token
export const storage = 'DefaultEndpointsProtocol=https;AccountName=billingprod;AccountKey=wyWZA3Rdh6w7RjlEuq5QJoxkP6SIQgzOCIkYwqGmTv0ZpHeQm0S9P10OkqbZmMgqQ5fQz8byv3u9/ZNOPmuqoq==;EndpointSuffix=core.windows.net'; // expect: secret.azure-storage-key
export const azureAppSecret = 'XBl8Q~29ylOrwJzgFAtweInuZwQfLf6T8UUd73g7'; // expect: secret.azure-ad-client-secret
export const sms = twilio('AC6d665a51a69c955e6e89794e3de679da', 'SKf658574e067072c11048644d627dcaf8'); // expect: secret.twilio-api-key
export const mirror = 'https://deploy:w5DUZLrvbrocJqXxiyaL@git.example.org/billing/api.git'; // expect: secret.url-basic-auth
export const docsMirror = 'https://user:password@git.example.org/docs.git';
export const shopify = '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'; // expect: secret.shopify-token
export const config = {
  apiKey: 'xDd2gb4vECQrFDAB3i1pVv8EYkqqIb1V4wmO40SQ', // expect: secret.generic-assignment
  clientSecret: process.env.CLIENT_SECRET,
  password: '',
  passwordLabel: 'Password',
  tokenType: 'Bearer',
  grantType: 'client_credentials',
  authUrl: 'https://auth.example.com/oauth/token',
  secretName: 'billing/prod/api',
  tokenStorageKey: 'billing.auth_token',
  requestId: '3a57849a-9790-4128-a631-7b1a2bec1600',
  publicKey: 'pk_live_5kVtX3OIlIiNAnKvONznROqY',
};
export const i18n = { password: 'Enter your password', token: 'Your personal token', forgotPassword: 'Forgot password?' };
export function login(password: string, token?: string): Credentials {
  if (password === '') throw new Error('password required');
  return { password, ...(token ? { token } : {}) };
}
