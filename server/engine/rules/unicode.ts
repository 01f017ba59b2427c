/**
 * Hidden Unicode: bidirectional controls (Trojan Source, CVE-2021-42574), invisible characters, Unicode tag
 * characters (used to smuggle instructions past human reviewers to AI assistants) and mixed-script
 * look-alike identifiers.
 */
import { isJavaScriptLike } from '../language.js';
import type { Cancel, Fix, Language, Reporter, RuleFamily, RuleMeta, SourceDoc } from '../types.js';
import { CancelledError } from '../types.js';

export const UnicodeRule = {
  Bidi: 'unicode.bidi-control',
  Invisible: 'unicode.invisible-character',
  Tag: 'unicode.tag-characters',
  MixedScript: 'unicode.mixed-script-identifier',
} as const;

const TOP10_INJECTION = 'A03:2021-Injection';
const TOP10_DESIGN = 'A04:2021-Insecure Design';

const RULES: readonly RuleMeta[] = [
  {
    id: UnicodeRule.Bidi,
    category: 'unicode',
    severity: 'high',
    title: 'Bidirectional control character can make code read differently than it runs',
    description:
      'Unicode bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) reorder how text ' +
      'is displayed without changing how it is parsed. An attacker can make a comment appear to close early or a ' +
      'string appear to end, so reviewers approve code that does something else (Trojan Source, CVE-2021-42574).',
    cwe: ['CWE-451'],
    owasp: [TOP10_DESIGN],
    fix: 'Remove the control character. If right-to-left text is really needed, keep it inside a string literal and ' +
      'use an escape sequence (e.g. "\\u202E") so the intent is visible.',
    examples: [{ language: 'javascript', bad: 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {', good: 'if (accessLevel != "user") {' }],
  },
  {
    id: UnicodeRule.Invisible,
    category: 'unicode',
    severity: 'medium',
    title: 'Invisible character in source',
    description:
      'Zero-width spaces, joiners, word joiners, invisible operators, Hangul fillers and stray byte-order marks ' +
      'render as nothing. They can make two identifiers that look the same differ, hide a character inside a ' +
      'keyword, or carry hidden data.',
    cwe: ['CWE-1007'],
    owasp: [TOP10_DESIGN],
    fix: 'Delete the invisible character; write an escape sequence if it is needed inside a string.',
    examples: [{ language: 'javascript', bad: 'const is\u200BAdmin = false;', good: 'const isAdmin = false;' }],
  },
  {
    id: UnicodeRule.Tag,
    category: 'unicode',
    severity: 'high',
    title: 'Hidden text in Unicode tag characters',
    description:
      'Unicode tag characters (U+E0000–U+E007F) mirror ASCII but are invisible in editors and code review. They ' +
      'are used to smuggle instructions to AI assistants and language models ("ASCII smuggling"), which read them ' +
      'as text.',
    cwe: ['CWE-451', 'CWE-1427'],
    owasp: [TOP10_INJECTION],
    fix: 'Delete the tag characters. The finding message shows the hidden text they spell.',
    examples: [{ language: 'markdown', bad: 'Build steps\u{E0049}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}', good: 'Build steps' }],
  },
  {
    id: UnicodeRule.MixedScript,
    category: 'unicode',
    severity: 'high',
    title: 'Identifier mixes scripts with look-alike letters',
    description:
      'An identifier that mixes Latin letters with Cyrillic or Greek look-alikes (e.g. Cyrillic "\u0430" in "\u0430dmin") ' +
      'looks identical to another identifier but is a different name. It can shadow a check, a function or a ' +
      'variable without anyone noticing.',
    cwe: ['CWE-1007'],
    owasp: [TOP10_DESIGN],
    fix: 'Replace the look-alike letters with the Latin letters they imitate.',
    examples: [{ language: 'javascript', bad: 'if (is\u0410dmin(user)) grant();', good: 'if (isAdmin(user)) grant();' }],
  },
];

const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
// U+200C/U+200D are legitimate inside emoji sequences and some scripts: flagged only next to ASCII word characters
// (checked by hand: a regex with that lookbehind as an alternative ran at about 100 MB/s, a plain class is faster).
const INVISIBLE = /[\u200B-\u200D\u2060-\u2064\u180E\u3164\u115F\u1160\uFFA0\uFEFF]/g;
const ASCII_WORD = /[\w$]/;
const TAGS = /(?:\uDB40[\uDC00-\uDC7F])+/g;
const NON_ASCII = /[^\x00-\x7F]/;
// Words holding a Cyrillic or Greek letter are found by locating that letter and growing the word around it:
// a single regex with a leading `[\p{L}\p{N}_$]*` backtracks quadratically over long runs of word characters
// (a 270 KB inline source map took a minute).
// Only Cyrillic and Greek letters imitate Latin ones; a plain range (no `u` flag) finds them fastest.
const LOOKALIKE_SCRIPT_LETTER = /[\u0370-\u03FF\u0400-\u052F\u1F00-\u1FFF]/g;
const WORD_TAIL = /[\p{L}\p{M}\p{N}_$]*/uy;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}_$]$/u;

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/**
 * Where a word really starts when the ASCII run before its first Cyrillic or Greek letter opens with a string
 * escape: in a string "\n" or "\u0345" followed by a Greek word, the `n` and `u0345` belong to the escape.
 */
function afterEscape(text: string, start: number, firstForeign: number): number {
  if (start === 0 || text.charCodeAt(start - 1) !== 92 /* backslash */) return start;
  const c = text[start];
  const length = c === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(start + 1, start + 5)) ? 5
    : c === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(start + 1, start + 3)) ? 3
      : c !== undefined && 'ntrbfv0'.includes(c) ? 1 : 0;
  return start + length <= firstForeign ? start + length : start;
}

/** The identifier-like words containing a Cyrillic or Greek character, left to right, without overlaps. */
function* wordsWithLookalikeScripts(text: string): Generator<{ index: number; word: string }> {
  let floor = 0;
  LOOKALIKE_SCRIPT_LETTER.lastIndex = 0;
  for (let m = LOOKALIKE_SCRIPT_LETTER.exec(text); m; m = LOOKALIKE_SCRIPT_LETTER.exec(text)) {
    let start = m.index;
    while (start > floor) {
      let prev = start - 1;
      const unit = text.charCodeAt(prev);
      if (unit < 0x80) {
        if (!isAsciiWordChar(unit)) break;
        start = prev;
        continue;
      }
      if (unit >= 0xdc00 && unit <= 0xdfff && prev > floor && (text.charCodeAt(prev - 1) & 0xfc00) === 0xd800) prev--;
      if (!WORD_CHAR.test(text.slice(prev, start))) break;
      start = prev;
    }
    start = afterEscape(text, start, m.index);
    WORD_TAIL.lastIndex = m.index;
    WORD_TAIL.exec(text);
    // The range also holds non-letters (Greek question mark, Cyrillic signs): step past them, never stand still.
    const end = Math.max(WORD_TAIL.lastIndex, m.index + 1);
    floor = end;
    LOOKALIKE_SCRIPT_LETTER.lastIndex = end;
    yield { index: start, word: text.slice(start, end) };
  }
}
/**
 * Whether UTF-8 bytes hold a character any rule here looks at: the invisible and bidirectional characters of
 * CHEAP_PREFILTER, tag characters, or (when `letters`) a Cyrillic or Greek letter of LOOKALIKE_SCRIPT_LETTER.
 * Read off their encodings: U+0370–U+052F lead with 0xCD–0xD4; U+1F00–U+1FFF with E1 BC–BF; U+180E is
 * E1 A0 8E, U+115F/U+1160 E1 85 9F/A0; U+200B–D and U+202A–E are E2 80 8B–8D/AA–AE, U+2060–4 and
 * U+2066–9 E2 81 A0–A4/A6–A9; U+3164 is E3 85 A4; U+FEFF EF BB BF, U+FFA0 EF BE A0; tags U+E0000–U+E03FF
 * (the \uDB40 surrogate) F3 A0 80–8F.
 */
function mayHoldHiddenOrLookalike(bytes: Uint8Array, letters: boolean): boolean {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0xcd) continue;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    if (b <= 0xd4) {
      if (letters) return true;
    } else if (b === 0xe1) {
      if ((letters && b1 >= 0xbc && b1 <= 0xbf) || (b1 === 0xa0 && b2 === 0x8e) || (b1 === 0x85 && (b2 === 0x9f || b2 === 0xa0))) return true;
    } else if (b === 0xe2) {
      if ((b1 === 0x80 && ((b2 >= 0x8b && b2 <= 0x8d) || (b2 >= 0xaa && b2 <= 0xae))) || (b1 === 0x81 && b2 >= 0xa0 && b2 <= 0xa9 && b2 !== 0xa5)) return true;
    } else if (b === 0xe3) {
      if (b1 === 0x85 && b2 === 0xa4) return true;
    } else if (b === 0xef) {
      if ((b1 === 0xbb && b2 === 0xbf) || (b1 === 0xbe && b2 === 0xa0)) return true;
    } else if (b === 0xf3) {
      if (b1 === 0xa0 && b2 >= 0x80 && b2 <= 0x8f) return true;
    }
  }
  return false;
}

const CHEAP_PREFILTER = /[\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060-\u2064\u180E\u3164\u115F\u1160\uFFA0\uFEFF\uDB40]/;

/** Latin look-alikes in Cyrillic and Greek, mapped to the Latin letter they imitate. */
const CONFUSABLE: Readonly<Record<string, string>> = {
  // Lower-case в, к, м, н, т do not look like Latin letters (they are small capitals), so they are not here.
  'а': 'a', 'е': 'e', 'ё': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y',
  'х': 'x', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l', 'ѵ': 'v',
  'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X',
  'У': 'Y', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
  'α': 'a', 'ο': 'o', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'ι': 'i', 'κ': 'k',
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P',
  'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
};

/** Languages whose text is code, where identifiers exist. */
const CODE_LANGUAGES: ReadonlySet<Language> = new Set<Language>([
  'javascript', 'typescript', 'python', 'shell', 'go', 'java', 'kotlin', 'csharp', 'c', 'cpp', 'rust', 'ruby',
  'php', 'swift', 'sql', 'lua', 'elisp', 'terraform',
]);

function scriptOf(ch: string): 'latin' | 'cyrillic' | 'greek' | 'other' {
  if (/\p{Script=Latin}/u.test(ch)) return 'latin';
  if (/\p{Script=Cyrillic}/u.test(ch)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(ch)) return 'greek';
  return 'other';
}

function describe(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function removal(start: number, end: number, title: string): Fix {
  return { title, edits: [{ start, end, newText: '' }] };
}

/** Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;

/**
 * Whether a line of prose uses bidi controls the way right-to-left writing does: it holds right-to-left
 * letters, no override (U+202D, U+202E, the Trojan Source workhorses), and every embedding or isolate it
 * opens is closed on the same line, in order. (checkBidi grants this only to lines of at most 2,000 characters.)
 */
function writtenRtl(line: string): boolean {
  if (!RTL_LETTER.test(line)) return false;
  const open: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x202d || c === 0x202e) return false;
    if (c === 0x202a || c === 0x202b) open.push(0x202c);
    else if (c >= 0x2066 && c <= 0x2068) open.push(0x2069);
    else if ((c === 0x202c || c === 0x2069) && open.pop() !== c) return false;
  }
  return open.length === 0;
}

function checkBidi(doc: SourceDoc, report: Reporter): void {
  // Hebrew and Arabic prose and data wrap Latin words in embeddings to keep them in order (an Emacs tutorial
  // writes "Emacs" between U+202B and U+202C). Such lines are writing, not an attack; in code every control is
  // reported, and in prose every override and every unbalanced or out-of-context control.
  const prose = !CODE_LANGUAGES.has(doc.language) && !isJavaScriptLike(doc.language) && !isAgentInstructions(doc.path);
  const text = doc.text;
  let lineStart = -1;
  let lineIsRtl = false;
  BIDI.lastIndex = 0;
  for (let m = BIDI.exec(text); m; m = BIDI.exec(text)) {
    if (prose) {
      const from = text.lastIndexOf('\n', m.index) + 1;
      if (from !== lineStart) {
        lineStart = from;
        const newline = text.indexOf('\n', m.index);
        const to = newline < 0 ? text.length : newline;
        lineIsRtl = to - from <= 2000 && writtenRtl(text.slice(from, to));
      }
      if (lineIsRtl) continue;
    }
    report.finding({
      ruleId: UnicodeRule.Bidi,
      start: m.index,
      end: m.index + 1,
      message: `Bidirectional control character ${describe(m[0])} can make this code display differently than it runs`,
      fix: removal(m.index, m.index + 1, `Remove ${describe(m[0])}`),
    });
  }
}

const NON_LATIN_LETTER = /[\p{L}\p{M}]/u;

/** Whether the UTF-16 unit at `i` is (part of) a letter or mark outside ASCII and Latin. */
function nonLatinLetterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (!(c >= 0x370)) return false; // ASCII, Latin-1 and Latin Extended, or out of range (NaN)
  let ch = text.charAt(i);
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) ch = text.slice(i - 1, i + 1);
  else if (c >= 0xd800 && c <= 0xdbff) ch = text.slice(i, i + 2);
  return NON_LATIN_LETTER.test(ch) && scriptOf(ch) !== 'latin';
}

/**
 * Instructions that AI coding assistants read on every request (.cursorrules, AGENTS.md, CLAUDE.md, Copilot
 * instructions, Cursor .mdc rules, prompt files). Hidden characters there are the "rules file backdoor": an
 * assistant reads what a reviewer cannot see. No invisible or bidi character gets the benefit of the doubt.
 */
function isAgentInstructions(path: string): boolean {
  return /(?:^|\/)(?:\.cursorrules|\.windsurfrules|\.clinerules|AGENTS\.md|CLAUDE\.md|GEMINI\.md|copilot-instructions\.md)$|(?:^|\/)\.cursor\/rules\/[^/]+\.mdc?$|(?:^|\/)\.github\/(?:instructions\/[^/]+\.instructions|prompts\/[^/]+\.prompt)\.md$|(?:^|\/)\.clinerules\/[^/]+$/i.test(path);
}

function checkInvisible(doc: SourceDoc, report: Reporter): void {
  INVISIBLE.lastIndex = 0;
  const text = doc.text;
  const strict = isAgentInstructions(doc.path);
  for (let m = INVISIBLE.exec(text); m; m = INVISIBLE.exec(text)) {
    if (m[0] === '\uFEFF' && m.index === 0) continue; // a leading byte-order mark is harmless
    // Joiners away from ASCII words, and (below) zero-width characters beside non-Latin letters, are writing,
    // except in agent instructions, where every one counts.
    if (!strict && (m[0] === '\u200C' || m[0] === '\u200D') && !ASCII_WORD.test(text.charAt(m.index - 1)) && !ASCII_WORD.test(text.charAt(m.index + 1))) continue;
    // Next to a non-Latin letter, zero-width spaces and joiners are how scripts are written: Khmer and Thai
    // separate words with U+200B, Persian writes U+200C inside words. They make nothing pass for an ASCII name.
    if (!strict && m[0] >= '\u200B' && m[0] <= '\u200D' && (nonLatinLetterAt(text, m.index - 1) || nonLatinLetterAt(text, m.index + 1))) continue;
    report.finding({
      ruleId: UnicodeRule.Invisible,
      start: m.index,
      end: m.index + 1,
      message: `Invisible character ${describe(m[0])} in source`,
      fix: removal(m.index, m.index + 1, `Remove invisible ${describe(m[0])}`),
    });
  }
}

function checkTags(doc: SourceDoc, report: Reporter): void {
  TAGS.lastIndex = 0;
  for (let m = TAGS.exec(doc.text); m; m = TAGS.exec(doc.text)) {
    // Emoji subdivision flags (🏴 + tags + cancel tag) are legitimate.
    if (doc.text.codePointAt(m.index - 2) === 0x1f3f4) continue;
    let hidden = '';
    for (const ch of m[0]) {
      const ascii = ch.codePointAt(0)! - 0xe0000;
      hidden += ascii >= 0x20 && ascii < 0x7f ? String.fromCharCode(ascii) : '';
    }
    const shown = hidden.length > 60 ? `${hidden.slice(0, 60)}…` : hidden;
    report.finding({
      ruleId: UnicodeRule.Tag,
      start: m.index,
      end: m.index + m[0].length,
      message: `Invisible Unicode tag characters spell hidden text: ${JSON.stringify(shown)}`,
      fix: removal(m.index, m.index + m[0].length, 'Remove the hidden tag characters'),
    });
  }
}

/** One word's letters by script, and how many of them imitate a letter of another script. */
interface WordScripts {
  readonly index: number;
  readonly word: string;
  readonly scripts: Set<string>;
  readonly allConfusable: boolean;
  readonly letters: number;
  /** Cyrillic or Greek letters, and how many of them imitate Latin ones (`а` for `a`). */
  readonly foreign: number;
  readonly imitatingLatin: number;
  /** Latin letters, how many are ASCII, and how many have a Cyrillic or Greek twin (`o` for `о`). */
  readonly latin: number;
  readonly asciiLatin: number;
  readonly latinWithTwin: number;
}

/** Latin letters that a Cyrillic or Greek letter imitates: in a Cyrillic or Greek word they pass for its own. */
const LATIN_TWINS: ReadonlySet<string> = new Set(Object.values(CONFUSABLE));

function classify(index: number, word: string): WordScripts {
  const scripts = new Set<string>();
  let allConfusable = true;
  let letters = 0;
  let foreign = 0;
  let imitatingLatin = 0;
  let latin = 0;
  let asciiLatin = 0;
  let latinWithTwin = 0;
  for (const ch of word) {
    if (ch < '\x80') {
      // ASCII: a Latin letter (or a digit, `_`, `$`, which carry no script).
      if (isAsciiWordChar(ch.charCodeAt(0)) && ch > '@' && ch !== '_') {
        letters++;
        latin++;
        asciiLatin++;
        if (LATIN_TWINS.has(ch)) latinWithTwin++;
        scripts.add('latin');
      }
      continue;
    }
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    const script = scriptOf(ch);
    scripts.add(script);
    if (script === 'latin') {
      latin++;
      allConfusable = false;
    } else if (script === 'cyrillic' || script === 'greek') {
      foreign++;
      if (CONFUSABLE[ch] !== undefined) imitatingLatin++;
      else allConfusable = false;
    } else allConfusable = false;
  }
  return { index, word, scripts, allConfusable, letters, foreign, imitatingLatin, latin, asciiLatin, latinWithTwin };
}

/**
 * Whether a word mixing Latin with Cyrillic or Greek can pass for a word of one script: a Cyrillic or Greek
 * letter imitates a Latin one ("is\u0410dmin"), or a mostly Cyrillic or Greek word hides a Latin twin ("\u0434\u043di",
 * Ukrainian for "days" typed with a Latin `i`). A mix where nothing imitates anything ("\u03bcs", "cos\u03b8")
 * fools no reader, and neither does a run of symbols from a code-page table with no ASCII letter in it
 * ("\u03b1\u00df\u0393\u03c0"): names are imitated in ASCII.
 */
function deceptiveMix(w: WordScripts): boolean {
  return (w.imitatingLatin > 0 && w.asciiLatin > 0) || (w.foreign > w.latin && w.latinWithTwin > 0);
}

function checkMixedScript(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
  const words: WordScripts[] = [];
  // Scripts the file genuinely writes in (some word uses a letter of it that imitates nothing Latin).
  const genuine = new Set<string>();
  let count = 0;
  for (const m of wordsWithLookalikeScripts(doc.text)) {
    if ((++count & 1023) === 0 && cancel.isCancellationRequested) throw new CancelledError();
    const w = classify(m.index, m.word);
    if (!w.allConfusable) for (const script of w.scripts) if (script !== 'latin') genuine.add(script);
    if (w.scripts.has('cyrillic') || w.scripts.has('greek')) words.push(w);
  }
  for (const w of words) {
    const { index, word, scripts, allConfusable, letters } = w;
    const mixed = scripts.has('latin') && deceptiveMix(w);
    // A whole word of Cyrillic/Greek letters that all imitate Latin ones ("\u0440\u0430\u0443\u0440\u0430l" for
    // "paypal") is as deceptive as a mix, unless the file really is written in that script ("\u0435\u0440\u0430" in
    // Ukrainian text is just a word).
    const [script] = scripts;
    const disguised = scripts.size === 1 && allConfusable && letters >= 3 && !genuine.has(script!);
    if (!mixed && !disguised) continue;
    const foreignScripts = [...scripts].filter((s) => s !== 'latin' && s !== 'other').join('/');
    if (mixed && w.imitatingLatin === 0) {
      // A Cyrillic or Greek word with Latin twins in it ("\u0434\u043di"): which letter was meant is the author's call.
      const twins = [...new Set([...word].filter((ch) => ch < '\x80' && LATIN_TWINS.has(ch)))].join(', ');
      report.finding({
        ruleId: UnicodeRule.MixedScript,
        start: index,
        end: index + word.length,
        message: `Identifier "${word}" mixes ${foreignScripts} letters with Latin look-alikes (${twins}) that pass for ${foreignScripts} ones`,
      });
      continue;
    }
    let replacement = '';
    for (const ch of word) replacement += CONFUSABLE[ch] ?? ch;
    const canFix = !NON_ASCII.test(replacement);
    report.finding({
      ruleId: UnicodeRule.MixedScript,
      start: index,
      end: index + word.length,
      message: `Identifier "${word}" uses look-alike ${foreignScripts} letters; it reads as "${replacement}"`,
      ...(canFix ? { fix: { title: `Rename to "${replacement}"`, edits: [{ start: index, end: index + word.length, newText: replacement }] } } : {}),
    });
  }
}

/** The hidden-Unicode rule family; runs on every text file. */
export const unicodeFamily: RuleFamily = {
  name: 'unicode',
  rules: RULES,
  appliesTo: () => true,
  screen: (bytes, doc) => !doc.ascii && mayHoldHiddenOrLookalike(bytes, CODE_LANGUAGES.has(doc.language) || isJavaScriptLike(doc.language)),
  run(doc: SourceDoc, report: Reporter, cancel: Cancel): void {
    const text = doc.text;
    if (CHEAP_PREFILTER.test(text)) {
      checkBidi(doc, report);
      checkInvisible(doc, report);
      checkTags(doc, report);
    }
    if ((CODE_LANGUAGES.has(doc.language) || isJavaScriptLike(doc.language)) && NON_ASCII.test(text)) {
      checkMixedScript(doc, report, cancel);
    }
  },
};
