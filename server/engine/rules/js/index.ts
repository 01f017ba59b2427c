/**
 * JavaScript/TypeScript SAST over a token stream (see tokenizer.ts and syntax.ts): injection, XSS, path
 * traversal, SSRF, open redirects, weak crypto, TLS overrides, unsafe deserialization, prototype pollution,
 * JWT misuse, cookie and CORS configuration. Works on TS, JSX and half-typed code alike.
 */
import type { Cancel, Reporter, RuleFamily, SourceDoc } from '../../types.js';
import { CancelledError } from '../../types.js';
import { isJavaScriptLike } from '../../language.js';
import { clearHits, newHits, TriggerAutomaton } from '../../automaton.js';
import { Flow } from './flow.js';
import { collectImports } from './imports.js';
import { JS_RULES } from './meta.js';
import { parseTree } from './syntax.js';
import { walk } from './walk.js';
import { isTestPath } from '../secrets/values.js';

export { JsRule } from './meta.js';

/** Files larger than this (UTF-16 code units) get no SAST unless the config says otherwise. */
export const DEFAULT_MAX_SAST_BYTES = 2 * 1024 * 1024;

// The prefilter: most files need no tokenizing at all. A finding needs either a sink that is dangerous on its own
// (eval, shell commands, SQL text, HTML sinks, crypto, TLS, JWT, cookie and CORS settings…), or a request source
// (for the rules that follow request data into files, URLs, redirects and property names). `includes` runs at
// memory speed; the few patterns below stand where a bare word would let most files through, and each starts
// with a literal, so the regex engine searches for it just as fast.
const SINK_WORDS = [
  'child_process', 'shelljs', 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WHERE',
  'select ', 'insert into', 'delete from', 'innerHTML', 'outerHTML', 'document.write', 'insertAdjacentHTML',
  'dangerouslySetInnerHTML', '.html(', '.append(', '.prepend(', '.after(', '.before(', 'replaceWith', '.wrap(', 'createHash', 'md5',
  'MD5', 'sha1', 'SHA1', 'Cipher', 'CryptoJS', 'Math.random', 'rejectUnauthorized', 'NODE_TLS', 'strictSSL', 'checkServerIdentity',
  'unserialize', 'runIn', 'Script(', 'compileFunction', 'FULL_SCHEMA', 'jwt', 'jsonwebtoken', 'JWT', 'cookie', 'Cookie', 'session',
  'Session', 'Access-Control', 'ECB',
];
const SINK_PATTERNS = [
  /\beval\b/, // not "evaluate" or "retrieval"
  /\bFunction\s*\(/, // `new Function(…)`, not `isFunction(`
  /\b(?:cp|childProcess|shell)\.(?:exec|spawn|fork)/, // command sinks resolve through these names or child_process
  /\bset(?:Timeout|Interval)\s*\([^,;]{0,200}?["'`]/, // a string timer has a string in its first argument
  /\bupdate\s+\S+\s+set\b/i, // SQL UPDATE (the bare word is in every other comment)
  /\bcors\s*\(/,
];
const SOURCE_WORDS = ['req.', 'searchParams.get', 'document.URL', 'document.referrer', 'document.documentURI', 'window.name', 'router.query'];
// Sources a bare word would over-match: `= req` is also `= require(`, "location" and "event." are everywhere.
// These are the shapes flow.ts reads as request data, or an alias of a request object.
const SOURCE_PATTERNS = [
  /= (?:req|request|ctx|event|evt)\b/,
  /(?<!(?:const|let|var)\s+)\blocation\s*(?:[.[]|=(?!=))/, // not a variable of that name being declared
  /\brequest\.(?:query|params|body|headers|cookies|signedCookies|files?|originalUrl|url|path|get|header|param|json|formData|text)\b/,
  /\bctx\.(?:query|params|headers|cookies|body|querystring|request|get|header|param|json)\b/,
  /\b(?:event|evt)\.(?:queryStringParameters|pathParameters|multiValueQueryStringParameters|body|headers|data)\b/,
  /@(?:Query|Params?|Body|Headers|HeaderParam|QueryParams?|BodyParam|Req|Request)\s*\(/, // NestJS parameter decorators (walk.ts)
];

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PATTERNS = [...SINK_PATTERNS, ...SOURCE_PATTERNS];
const WORDS = [...SINK_WORDS, ...SOURCE_WORDS];

/**
 * Every word and pattern above as one trigger automaton (tags: patterns first, then words), so that the
 * prefilter is one pass over the text, or over a file's bytes before decoding.
 */
let triggers: TriggerAutomaton | undefined;
export function prefilterTriggers(): TriggerAutomaton {
  return (triggers ??= new TriggerAutomaton([
    ...PATTERNS.map((re, tag) => ({ source: re.source, tag, ignoreCase: re.flags.includes('i'), maxLength: 24 })),
    ...WORDS.map((w, i) => ({ source: escape(w), tag: PATTERNS.length + i, maxLength: 64 })),
  ]));
}

/** Whether a text could hold any finding of this family (one automaton pass; a pattern's regex where it triggered). */
export function mayHaveFindings(text: string): boolean {
  const hits = newHits();
  prefilterTriggers().scan(text, hits);
  return confirmed(hits.tags, () => text);
}

const screenHits = newHits();

/**
 * The same test on a file's bytes, before anyone decodes it: the automaton runs on the bytes, and only a
 * file whose hits are all patterns is decoded (by the caller, who keeps the text for analysis), to run their
 * regexes. It accepts exactly what `mayHaveFindings` accepts, so a file that passes needs no second prefilter.
 */
function mayHaveFindingsInBytes(bytes: Uint8Array, text: () => string): boolean {
  clearHits(screenHits);
  prefilterTriggers().scanBytes(bytes, screenHits);
  return confirmed(screenHits.tags, text);
}

/** Whether hits (tags) prove the prefilter: any word does; a pattern needs its regex to match the text. */
function confirmed(tags: readonly number[], text: () => string): boolean {
  let decoded: string | undefined;
  const tried = new Set<number>();
  for (const tag of tags) {
    if (tag >= PATTERNS.length) return true; // a word is its own proof
    if (tried.has(tag)) continue;
    tried.add(tag);
    if (PATTERNS[tag]!.test((decoded ??= text()))) return true;
  }
  return false;
}

const PG_MODULES = /^(?:pg|postgres|pg-promise|pg-pool|@vercel\/postgres|@neondatabase\/serverless|slonik)(?:\.|$)/;

function analyseFile(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
  const jsx = !/\.(?:ts|mts|cts)$/i.test(doc.path);
  const t = parseTree(doc.text, jsx, true); // one file at a time: the tree is dropped before the next
  if (cancel.isCancellationRequested) throw new CancelledError();
  const imports = collectImports(t);
  let cryptoName: string | undefined;
  let dollarPlaceholders = false;
  for (const [local, mod] of imports) {
    if (mod === 'crypto') cryptoName = local;
    if (PG_MODULES.test(mod)) dollarPlaceholders = true;
  }
  walk({ t, flow: new Flow(t, imports), imports, report, dollarPlaceholders, cryptoName, testFile: isTestPath(doc.path) }, cancel);
}

/** The JS/TS rule family. */
export const javascriptFamily: RuleFamily = {
  name: 'javascript',
  rules: JS_RULES,
  appliesTo: isJavaScriptLike,
  screen(bytes, doc) {
    if (bytes.length > (doc.config.maxSastBytes ?? DEFAULT_MAX_SAST_BYTES)) return true; // it says so in a note
    return !/\.d\.[mc]?ts$/i.test(doc.path) && mayHaveFindingsInBytes(bytes, doc.text);
  },
  run(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
    const max = doc.config.maxSastBytes ?? DEFAULT_MAX_SAST_BYTES;
    if (doc.text.length > max) {
      report.note({ kind: 'too-large', message: `${doc.text.length} characters is over the ${max} limit for JavaScript/TypeScript analysis; only secrets and Unicode rules ran` });
      return;
    }
    if (/\.d\.[mc]?ts$/i.test(doc.path)) return; // declaration files hold signatures, not code that runs
    if (!doc.screened && !mayHaveFindings(doc.text)) return;
    try {
      analyseFile(doc, report, cancel);
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      // An analysis bug must not take the whole scan down: say what happened and keep the other families' results.
      report.note({ kind: 'parse-error', message: `JavaScript/TypeScript analysis stopped early (${e instanceof Error ? e.message : String(e)})` });
    }
  },
};
