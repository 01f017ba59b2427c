/**
 * JavaScript/TypeScript SAST over a token stream (see tokenizer.ts and syntax.ts): injection, XSS, path
 * traversal, SSRF, open redirects, weak crypto, TLS overrides, unsafe deserialization, prototype pollution,
 * JWT misuse, cookie and CORS configuration. Works on TS, JSX and half-typed code alike.
 */
import type { Cancel, Reporter, RuleFamily, SourceDoc } from '../../types.js';
import { CancelledError } from '../../types.js';
import { isJavaScriptLike } from '../../language.js';
import { Flow } from './flow.js';
import { collectImports } from './imports.js';
import { JS_RULES } from './meta.js';
import { parseTree } from './syntax.js';
import { walk } from './walk.js';

export { JsRule } from './meta.js';

/** Files larger than this (UTF-16 code units) get no SAST unless the config says otherwise. */
export const DEFAULT_MAX_SAST_BYTES = 2 * 1024 * 1024;

// Every finding needs one of these sink words; files without any are not tokenized at all.
const PREFILTER = new RegExp([
  'eval', 'Function', 'setTimeout', 'setInterval', 'exec', 'spawn', 'execFile', 'fork', 'query', 'execute', 'raw', 'Raw', 'Unsafe', 'unsafe', 'prepare',
  'innerHTML', 'outerHTML', 'document\\.write', 'insertAdjacentHTML', 'dangerouslySetInnerHTML', '\\.html\\(', '\\.append\\(', '\\.prepend\\(',
  '\\.after\\(', '\\.before\\(', 'replaceWith', 'wrap', 'fs', 'sendFile', 'download', 'require\\(', 'import\\(', 'fetch', 'axios', 'got', 'http',
  'needle', 'superagent', 'request', 'ky', 'undici', 'redirect', 'location', 'Location', 'createHash', 'md5', 'MD5', 'sha1', 'SHA1', 'Cipher',
  'CryptoJS', 'Math\\.random', 'rejectUnauthorized', 'NODE_TLS', 'strictSSL', 'checkServerIdentity', 'unserialize', 'vm', 'FULL_SCHEMA',
  'jwt', 'jsonwebtoken', 'verify', 'decode', 'cookie', 'session', 'cors', 'Access-Control', '\\]\\s*=[^=]', '\\.get\\(', '\\.all\\(', '\\.run\\(', '\\.one\\(',
].join('|'));

const PG_MODULES = /^(?:pg|postgres|pg-promise|pg-pool|@vercel\/postgres|@neondatabase\/serverless|slonik)(?:\.|$)/;

function analyseFile(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
  const jsx = !/\.(?:ts|mts|cts)$/i.test(doc.path);
  const t = parseTree(doc.text, jsx);
  if (cancel.isCancellationRequested) throw new CancelledError();
  const imports = collectImports(t);
  let cryptoName: string | undefined;
  let dollarPlaceholders = false;
  for (const [local, mod] of imports) {
    if (mod === 'crypto') cryptoName = local;
    if (PG_MODULES.test(mod)) dollarPlaceholders = true;
  }
  walk({ t, flow: new Flow(t, imports), imports, report, dollarPlaceholders, cryptoName }, cancel);
}

/** The JS/TS rule family. */
export const javascriptFamily: RuleFamily = {
  name: 'javascript',
  rules: JS_RULES,
  appliesTo: isJavaScriptLike,
  run(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
    const max = doc.config.maxSastBytes ?? DEFAULT_MAX_SAST_BYTES;
    if (doc.text.length > max) {
      report.note({ kind: 'too-large', message: `${doc.path}: ${doc.text.length} characters is over the ${max} limit for JavaScript/TypeScript analysis; only secrets and Unicode rules ran` });
      return;
    }
    if (!PREFILTER.test(doc.text)) return;
    try {
      analyseFile(doc, report, cancel);
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      // An analysis bug must not take the whole scan down: say what happened and keep the other families' results.
      report.note({ kind: 'parse-error', message: `${doc.path}: JavaScript/TypeScript analysis stopped early (${e instanceof Error ? e.message : String(e)})` });
    }
  },
};
