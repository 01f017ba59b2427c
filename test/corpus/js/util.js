// A utility module: crypto helpers, config loading, a template helper.
import crypto from 'node:crypto';
import vm from 'node:vm';
import yaml from 'js-yaml';
import jwt from 'jsonwebtoken';
import { execSync, spawn } from 'node:child_process';

const ALGORITHM = 'aes-256-gcm';
const LEGACY = 'des-ede3-cbc';

export function encrypt(key, iv, text) {
  const cipher = crypto.createCipheriv(ALGORITHM, key, iv);
  return Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
}

export function encryptLegacy(key, iv, text) {
  const cipher = crypto.createCipheriv(LEGACY, key, iv); // expect: crypto.broken-cipher
  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
}

export function encryptOld(secret, text) {
  const cipher = crypto.createCipher('aes-256-cbc', secret); // expect: crypto.broken-cipher
  const ecb = crypto.createCipheriv('aes-128-ecb', secret, null); // expect: crypto.broken-cipher
  return cipher.update(text, 'utf8', 'hex') + ecb.final('hex');
}

export function hashPassword(pw, salt) {
  return crypto.createHash('sha1').update(salt + pw).digest('hex'); // expect: crypto.weak-password-hash
}

export function strongHash(pw, salt) {
  return crypto.scryptSync(pw, salt, 64).toString('hex');
}

export function fileId(buffer) {
  return crypto.createHash('sha256').update(buffer).digest('hex');
}

export function generateApiKey() {
  let key = '';
  for (let i = 0; i < 32; i++) key += 'abcdef0123456789'[Math.floor(Math.random() * 16)]; // expect: crypto.insecure-random
  return key;
}

export function pickColor(colors) {
  return colors[Math.floor(Math.random() * colors.length)];
}

export function loadConfig(text) {
  const safe = yaml.load(text);
  const unsafe = yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA }); // expect: deserialization.unsafe
  return { ...safe, ...unsafe };
}

export function renderTemplate(code, context) {
  return vm.runInNewContext(code, context, { timeout: 50 }); // expect: deserialization.unsafe
}

export function constantScript() {
  return vm.runInNewContext('1 + 2', {});
}

export function decodeForDisplay(token) {
  const claims = jwt.decode(token);
  return claims ? claims.name : 'anonymous';
}

export function verifyLenient(token, key) {
  return jwt.verify(token, key, { algorithms: ['HS256'], ignoreExpiration: true }); // expect: auth.jwt-unverified
}

export function gitLog(ref) {
  return execSync(`git log --oneline ${ref}`).toString(); // expect: injection.command
}

export function gitStatus() {
  return execSync('git status --porcelain').toString();
}

export function runScript(script, args) {
  return spawn(script, args, { shell: true }); // expect: injection.command
}

export function runNode(args) {
  return spawn('node', args, { stdio: 'inherit' });
}

export function compute(expression) {
  return new Function('Math', 'return ' + expression)(Math); // expect: injection.eval
}

export function later(fn) {
  setTimeout(fn, 10);
}
