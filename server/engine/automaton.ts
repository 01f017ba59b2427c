/**
 * Trigger automata: many short patterns compiled into one deterministic automaton, so a text (or the bytes
 * of a file, before any decoding) is searched for all of them in one pass at a constant cost per character,
 * whatever the number of patterns. Rule families use triggers to find the few places worth a precise look;
 * the precise check (a sticky regex, a parser) then runs only there.
 *
 * Patterns are written in a small subset of regex syntax and are read as *supersets*: anything the subset
 * cannot express exactly is widened, never narrowed, so a trigger never misses what the full regex would
 * match. Concretely: `\b` and lookarounds are dropped; short `{n,m}` ranges and `(?:…)?` expand into
 * alternatives; a long `{n,m}` on a character ends the pattern (what precedes it must still match); `*` and
 * `+` loop; a group repeated otherwise becomes a loop over every character it can hold. The search alphabet is ASCII
 * plus one symbol for every character (or byte) at or above 0x80, and any set holding that symbol matches
 * one-or-more of them, so a UTF-8 byte sequence and the character it decodes to trigger alike: a byte scan
 * finds every trigger the decoded text has.
 */

/** Symbol index standing for any character or byte at or above 0x80. */
const NON_ASCII = 128;
const SYMBOLS = 129;
/** A compiled automaton larger than this is a pattern-set mistake (a blow-up), not something to ship. */
const MAX_STATES = 60_000;
/** `(?:a|b)` groups expand into separate sequences; this bounds their product. */
const MAX_SEQUENCES_PER_PATTERN = 4096;
/** `{n,m}` with m - n up to this is expanded exactly; wider ranges end the pattern. */
const MAX_EXPANDED_SPREAD = 4;
/** Items a pattern keeps by default: enough to be rare, few enough to keep the automaton small. */
const DEFAULT_MAX_LENGTH = 12;

/** One pattern: its source (regex subset), a tag reported with its hits, and case folding. */
export interface TriggerPattern {
  readonly source: string;
  readonly tag: number;
  readonly ignoreCase?: boolean;
  /** Items kept from the pattern's start (default 12): a longer pattern is cut there (a superset). */
  readonly maxLength?: number;
  /**
   * Items that are sets (not single characters) kept: the pattern is cut before the next one. Keeps a
   * token's literal prefix whole plus a few characters of its body, whatever the prefix's length.
   */
  readonly maxSets?: number;
}

/** A set of symbols (ASCII codes 0–127 and NON_ASCII) with an optional loop. */
export interface Item {
  readonly set: Uint8Array; // SYMBOLS entries, 1 = member
  readonly star: boolean;
}

interface Sequence {
  readonly items: readonly Item[];
  readonly tag: number;
  /** Characters matched, when fixed (no loops); -1 otherwise. */
  readonly length: number;
}

/**
 * Hits of a scan, in the order their last character was read: `tags[i]` ended just before offset `ends[i]`,
 * after `lengths[i]` characters (-1 when the pattern has loops). Arrays are reused between scans.
 */
export interface Hits {
  readonly tags: number[];
  readonly ends: number[];
  readonly lengths: number[];
}

/** A fresh, empty hit list. */
export function newHits(): Hits {
  return { tags: [], ends: [], lengths: [] };
}

/** Empty a hit list for reuse. */
export function clearHits(hits: Hits): void {
  hits.tags.length = 0;
  hits.ends.length = 0;
  hits.lengths.length = 0;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing the regex subset into sequences of items.

function setOf(chars: string): Uint8Array {
  const set = new Uint8Array(SYMBOLS);
  for (const ch of chars) set[ch.charCodeAt(0)] = 1;
  return set;
}

const DIGITS = setOf('0123456789');
const WORD_CHARS = setOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');
const SPACES = (() => {
  const set = setOf(' \t\r\n\f\v');
  set[NON_ASCII] = 1; // JavaScript's \s also matches NBSP, U+2028 and friends
  return set;
})();

function union(a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < SYMBOLS; i++) if (b[i]) a[i] = 1;
}

function unionOf(items: readonly Item[]): Uint8Array {
  const out = new Uint8Array(SYMBOLS);
  for (const it of items) union(out, it.set);
  return out;
}

function complement(a: Uint8Array): Uint8Array {
  const out = new Uint8Array(SYMBOLS);
  for (let i = 0; i < SYMBOLS; i++) out[i] = a[i] ? 0 : 1;
  return out;
}

function foldCase(set: Uint8Array): Uint8Array {
  const out = set.slice();
  for (let c = 65; c <= 90; c++) if (set[c] || set[c + 32]) out[c] = out[c + 32] = 1;
  return out;
}

class PatternError extends Error {}

const interned = new Map<string, Uint8Array>();
const LITERALS: (Uint8Array | undefined)[] = [];

/** One object per distinct set, so that sets compare by identity (a cheap Map key). */
function internSet(set: Uint8Array): Uint8Array {
  let key = '';
  for (let w = 0; w < SYMBOLS; w += 31) {
    let v = 0;
    for (let k = w; k < Math.min(SYMBOLS, w + 31); k++) v = (v << 1) | set[k]!;
    key += `${v},`;
  }
  let known = interned.get(key);
  if (!known) interned.set(key, (known = set));
  return known;
}

/** The one symbol a set holds, or -1. */
function soleMember(set: Uint8Array): number {
  let found = -1;
  for (let i = 0; i < SYMBOLS; i++) {
    if (!set[i]) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/** A parsed alternative: sequences of items, and whether the pattern was cut short here. */
interface Branch {
  readonly items: Item[];
  truncated: boolean;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string, private readonly ignoreCase: boolean) {}

  parse(): Item[][] {
    const branches = this.alternation();
    if (this.i < this.src.length) throw this.error(`unexpected '${this.src[this.i]}'`);
    return branches.map((b) => b.items);
  }

  private error(message: string): PatternError {
    return new PatternError(`trigger /${this.src}/: ${message} at ${this.i}`);
  }

  /** alternatives separated by '|', up to ')' or the end. */
  private alternation(): Branch[] {
    const out: Branch[] = [];
    for (;;) {
      out.push(...this.sequence());
      if (out.length > MAX_SEQUENCES_PER_PATTERN) throw this.error('too many alternatives');
      if (this.src[this.i] !== '|') return out;
      this.i++;
    }
  }

  /** One alternative: atoms with quantifiers; groups multiply the branches. */
  private sequence(): Branch[] {
    let branches: Branch[] = [{ items: [], truncated: false }];
    const src = this.src;
    while (this.i < src.length && src[this.i] !== '|' && src[this.i] !== ')') {
      const ch = src[this.i]!;
      if (ch === '(') {
        if (src.startsWith('(?:', this.i)) {
          this.i += 3;
          const inner = this.alternation();
          this.expect(')');
          const q = this.quantifier();
          // Repeats beyond what expands exactly read as a loop over every character the group can hold
          // (a superset), so the rest of the pattern still counts; a group cut short inside is cut here too.
          const exact = inner.every((alt) => !alt.truncated);
          const union: Item | undefined = exact ? { set: internSet(unionOf(inner.flatMap((alt) => alt.items))), star: true } : undefined;
          const loop = q.max > 1 ? union : undefined;
          if (union && branches.length * (inner.length + 1) > MAX_SEQUENCES_PER_PATTERN) {
            // Too many combinations to spell out: the group reads as a run of its characters.
            branches = branches.map((b) => (b.truncated ? b : { items: [...b.items, ...(q.min > 0 ? [{ set: union.set, star: false }] : []), union], truncated: false }));
            continue;
          }
          branches = branches.flatMap((b) => {
            if (b.truncated) return [b];
            if (q.min === 0 && q.max === 1) {
              return [{ items: [...b.items], truncated: false }, ...inner.map((alt) => ({ items: [...b.items, ...alt.items], truncated: alt.truncated }))];
            }
            if (q.min === 0) return [loop ? { items: [...b.items, loop], truncated: false } : { items: b.items, truncated: true }];
            return inner.map((alt) => ({
              items: [...b.items, ...alt.items, ...(loop ? [loop] : [])],
              truncated: alt.truncated || (q.max > 1 && !loop),
            }));
          });
          if (branches.length > MAX_SEQUENCES_PER_PATTERN) throw this.error('too many alternatives');
          continue;
        }
        if (/^\(\?<?[=!]/.test(src.slice(this.i, this.i + 4))) {
          this.skipGroup(); // lookaround: zero-width, dropped (widens the trigger)
          continue;
        }
        throw this.error('only (?:…) groups and lookarounds are supported');
      }
      if (ch === '\\' && src[this.i + 1] === 'b') {
        this.i += 2; // word boundary: dropped
        continue;
      }
      if (ch === '^' || ch === '$') throw this.error('anchors are not supported');
      const set = this.atom();
      const q = this.quantifier();
      const spread = q.max - q.min;
      // A short {n,m} range is exact as alternatives (n, n+1, … m copies); a long one ends the pattern.
      const expand = spread > 0 && spread <= MAX_EXPANDED_SPREAD && branches.length * (spread + 1) <= MAX_SEQUENCES_PER_PATTERN;
      branches = branches.flatMap((b) => {
        if (b.truncated) return [b];
        const fixed = [...b.items];
        for (let k = 0; k < q.min; k++) fixed.push({ set, star: false });
        if (q.max === Infinity) return [{ items: [...fixed, { set, star: true }], truncated: false }];
        if (spread === 0) return [{ items: fixed, truncated: false }];
        if (!expand) return [{ items: fixed, truncated: true }];
        const out: Branch[] = [];
        for (let extra = 0; extra <= spread; extra++) out.push({ items: [...fixed, ...Array.from({ length: extra }, () => ({ set, star: false }))], truncated: false });
        return out;
      });
    }
    return branches;
  }

  private expect(ch: string): void {
    if (this.src[this.i] !== ch) throw this.error(`expected '${ch}'`);
    this.i++;
  }

  private skipGroup(): void {
    let depth = 0;
    for (; this.i < this.src.length; this.i++) {
      const ch = this.src[this.i];
      if (ch === '\\') this.i++;
      else if (ch === '[') {
        while (this.i < this.src.length && this.src[this.i] !== ']') this.i += this.src[this.i] === '\\' ? 2 : 1;
      } else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        this.i++;
        return;
      }
    }
    throw this.error('unclosed group');
  }

  private quantifier(): { min: number; max: number } {
    const ch = this.src[this.i];
    if (ch === '?') return this.lazy({ min: 0, max: 1 });
    if (ch === '*') return this.lazy({ min: 0, max: Infinity });
    if (ch === '+') return this.lazy({ min: 1, max: Infinity });
    if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw this.error('bad {n,m} quantifier');
      this.i += m[0].length - 1;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      return this.lazy({ min, max });
    }
    return { min: 1, max: 1 };
  }

  private lazy(q: { min: number; max: number }): { min: number; max: number } {
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy and greedy match the same strings
    return q;
  }

  /** A single-character atom: literal, escape or class; returned as a (case-folded) symbol set. */
  private atom(): Uint8Array {
    const src = this.src;
    const ch = src[this.i]!;
    let set: Uint8Array;
    if (ch === '[') set = this.charClass();
    else if (ch === '\\') set = this.escape(false);
    else if ('.*+?{}'.includes(ch)) throw this.error(`unescaped '${ch}'`);
    else {
      this.i++;
      set = this.literal(ch);
    }
    return internSet(this.ignoreCase ? foldCase(set) : set);
  }

  private literal(ch: string): Uint8Array {
    const code = ch.charCodeAt(0);
    if (code >= 128) throw this.error('non-ASCII characters are not supported');
    return (LITERALS[code] ??= internSet(setOf(ch)));
  }

  private escape(inClass: boolean): Uint8Array {
    const e = this.src[this.i + 1];
    if (e === undefined) throw this.error('dangling backslash');
    this.i += 2;
    switch (e) {
      case 'd': return DIGITS.slice();
      case 'w': return WORD_CHARS.slice();
      case 's': return SPACES.slice();
      case 'D': return complement(DIGITS);
      case 'W': return complement(WORD_CHARS);
      case 'S': return complement(SPACES);
      case 't': return setOf('\t');
      case 'n': return setOf('\n');
      case 'r': return setOf('\r');
      default:
        if (/[A-Za-z0-9]/.test(e) && !(inClass && e === 'b')) throw this.error(`unsupported escape \\${e}`);
        return this.literal(e);
    }
  }

  private charClass(): Uint8Array {
    const src = this.src;
    this.i++; // '['
    const negate = src[this.i] === '^';
    if (negate) this.i++;
    const set = new Uint8Array(SYMBOLS);
    while (this.i < src.length && src[this.i] !== ']') {
      let from: Uint8Array;
      let fromCode = -1;
      if (src[this.i] === '\\') {
        from = this.escape(true);
        fromCode = soleMember(from);
      } else {
        fromCode = src.charCodeAt(this.i);
        if (fromCode >= 128) throw this.error('non-ASCII characters are not supported');
        from = setOf(src[this.i]!);
        this.i++;
      }
      if (src[this.i] === '-' && src[this.i + 1] !== ']' && fromCode >= 0) {
        this.i++;
        const to = src[this.i] === '\\' ? soleMember(this.escape(true)) : src.charCodeAt(this.i++);
        if (to < fromCode || to >= 128) throw this.error('bad range');
        for (let c = fromCode; c <= to; c++) set[c] = 1;
      } else {
        union(set, from);
      }
    }
    this.expect(']');
    return negate ? complement(set) : set;
  }
}

/**
 * Parse a pattern into the item sequences it stands for, each cut to `maxLength` items. Exported so that
 * callers can inspect patterns (e.g. how long their literal prefix is) and for tests.
 */
export function parseTrigger(source: string, ignoreCase = false, maxLength = DEFAULT_MAX_LENGTH, maxSets = Infinity): Item[][] {
  const seen = new Set<string>();
  const cut = (items: Item[]): Item[] => {
    let sets = 0;
    let end = 0;
    while (end < items.length && end < maxLength) {
      if (items[end]!.star || soleMember(items[end]!.set) < 0) {
        if (sets === maxSets) break;
        sets++;
      }
      end++;
    }
    return items.slice(0, end);
  };
  const sequences = new Parser(source, ignoreCase).parse().map(cut).filter((items) => {
    const key = items.map((it) => `${it.set.join('')}${it.star ? '*' : ''}`).join('|');
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return sequences.map((items) => {
    if (items.length === 0 || items.every((it) => it.star)) throw new PatternError(`trigger /${source}/ can match the empty string`);
    // Inside a pattern, a set holding the non-ASCII symbol matches a run of them: one character or the bytes
    // that encode it. At either end one symbol is enough (the last or first byte of the character).
    return items.flatMap((it, i) => (it.set[NON_ASCII] && !it.star && i > 0 && i < items.length - 1 ? [it, { set: it.set, star: true }] : [it]));
  });
}

// ---------------------------------------------------------------------------------------------------------
// The automaton.

/** A transition not computed yet. */
const UNKNOWN = -1;

/**
 * A complete automaton table in compact form, as `TriggerAutomaton.exportTable` gives it: saved by the build
 * and installed at start-up, it spares every thread the automaton's construction (and the optimising
 * compiler the construction code). Bytes that every state treats alike share a class, so a state's row is
 * one entry per class, as in the scanning table (which `expandTable` makes of it).
 */
export interface TriggerTable {
  readonly key: string;
  /** The start state's index. */
  readonly initial: number;
  /** Class of each byte (256 entries). */
  readonly byteClass: Uint8Array;
  readonly classes: number;
  /** Target state index of each (state, class): `next[state * classes + class]`. */
  readonly next: Uint16Array;
  /** Per state: [tag, length] pairs of the patterns that end there. */
  readonly accepts: readonly (readonly number[])[];
}

/**
 * Bumped whenever the reading of patterns or the table layout changes, so tables saved by older code are
 * not used (their key no longer matches).
 */
const TABLE_FORMAT = 2;

/** The key of a pattern set: two FNV-style hashes over the format version and every pattern's fields. */
export function tableKey(patterns: readonly TriggerPattern[]): string {
  const text = JSON.stringify([TABLE_FORMAT, patterns.map((p) => [p.source, p.tag, p.ignoreCase ?? false, p.maxLength ?? null, p.maxSets ?? null])]);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) + 0x9e3779b9;
  }
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}-${patterns.length}`;
}

const installed = new Map<string, TriggerTable>();

/**
 * Make prebuilt tables available to automata constructed from now on (ones already built keep their own).
 * A table whose parts do not fit together is refused with a TypeError naming the problem; entries are
 * checked when an automaton expands the table.
 */
export function installTriggerTables(tables: readonly TriggerTable[]): void {
  for (const t of tables) {
    const rows = t.accepts.length;
    if (t.byteClass.length !== 256 || t.classes < 1 || t.byteClass.some((c) => c >= t.classes)) throw new TypeError(`trigger table ${t.key}: bad byte classes`);
    if (t.next.length !== rows * t.classes) throw new TypeError(`trigger table ${t.key}: ${t.next.length} entries for ${rows} states of ${t.classes} classes`);
    if (!(t.initial >= 0 && t.initial < rows)) throw new TypeError(`trigger table ${t.key}: bad initial state`);
  }
  for (const t of tables) installed.set(t.key, t);
}

/** The scanning table of a compact one (see TriggerAutomaton); throws a TypeError on an entry that names no state. */
function expandTable(t: TriggerTable): Int32Array {
  const rows = t.accepts.length;
  const { next, classes } = t;
  const delta = new Int32Array(rows * classes);
  for (let i = 0; i < delta.length; i++) {
    const target = next[i]!;
    if (target >= rows) throw new TypeError(`trigger table ${t.key}: state ${Math.floor(i / classes)} leads to state ${target} of ${rows}`);
    delta[i] = t.accepts[target]!.length > 0 ? -(target * classes) - 2 : target * classes;
  }
  return delta;
}

/**
 * A deterministic automaton over a set of trigger patterns. Its table is either prebuilt (installed with
 * `installTriggerTables`, e.g. from a file the build writes: no construction cost at all) or built lazily by
 * a DfaBuilder: a state and its transitions are computed the first time a scan reaches them (as RE2 and
 * ripgrep do), so start-up costs a few milliseconds and memory holds only the states real text visits.
 *
 * The table `delta` has one row per state and one entry per byte class (`byteClass[byte]`; a UTF-16 code
 * unit from 0x80 up reads as byte 0xFF: non-ASCII); rows of classes rather than of all 256 bytes keep the
 * states a scan visits in the processor's caches (a screen ran a quarter faster). An entry is the target
 * row's offset (state × width) when the target does not accept, `-offset - 2` when it does, and UNKNOWN when
 * not computed; the scanning loop leaves on any negative entry, so one comparison per character serves both
 * hits and table misses.
 */
export class TriggerAutomaton {
  /** Identifies the pattern set (and this code's reading of it): a prebuilt table must carry the same key. */
  readonly key: string;
  private delta: Int32Array;
  /** Entries per row: the number of byte classes. */
  private readonly width: number;
  /** Class of each byte. */
  private readonly byteClass: Uint8Array;
  /** Per state: [tag, length] pairs of the patterns that end there (empty: the state does not accept). */
  private readonly accepts: readonly (readonly number[])[];
  /** The state after an imaginary line break before the text (start of text reads as a boundary): a row offset. */
  private readonly initial: number;
  /** Builds missing states; absent when the table is prebuilt (and so complete). */
  private readonly builder: DfaBuilder | undefined;

  constructor(readonly patterns: readonly TriggerPattern[]) {
    this.key = tableKey(patterns);
    const table = installed.get(this.key);
    if (table) {
      this.delta = expandTable(table);
      this.width = table.classes;
      this.byteClass = table.byteClass;
      this.accepts = table.accepts;
      this.initial = table.initial * table.classes;
      this.builder = undefined;
    } else {
      const builder = new DfaBuilder(patterns);
      this.builder = builder;
      this.delta = builder.delta;
      this.width = builder.classCount;
      this.byteClass = builder.byteClass;
      this.accepts = builder.accepts;
      this.initial = builder.initial;
    }
  }

  /** Number of states built so far (for tests and diagnostics). */
  get stateCount(): number {
    return this.builder ? this.builder.rows : this.accepts.length;
  }

  /** Whether the table was prebuilt (installed) rather than built here. */
  get prebuilt(): boolean {
    return this.builder === undefined;
  }

  /** Build every reachable state now; returns the number of states. */
  buildAll(): number {
    if (this.builder) {
      this.builder.buildAll();
      this.delta = this.builder.delta;
    }
    return this.stateCount;
  }

  /** The complete table in compact form, to be saved and installed elsewhere (builds every state first). */
  exportTable(): TriggerTable {
    const rows = this.buildAll();
    if (rows > 0xffff) throw new TypeError(`trigger automaton of ${rows} states: too many for a saved table`);
    const { delta, width } = this;
    // Classes whose columns are equal in every row merge (the builder's classes come from the patterns' sets,
    // some of which no state tells apart).
    const merged = new Uint8Array(width);
    const kept: number[] = [];
    for (let c = 0; c < width; c++) {
      let m = kept.findIndex((k) => {
        for (let r = 0; r < rows * width; r += width) if (delta[r + k] !== delta[r + c]) return false;
        return true;
      });
      if (m < 0) m = kept.push(c) - 1;
      merged[c] = m;
    }
    const classes = kept.length;
    const next = new Uint16Array(rows * classes);
    for (let d = 0; d < rows; d++) {
      for (let m = 0; m < classes; m++) {
        const e = delta[d * width + kept[m]!]!;
        next[d * classes + m] = (e >= 0 ? e : -e - 2) / width;
      }
    }
    const byteClass = this.byteClass.map((c) => merged[c]!);
    return { key: this.key, initial: this.initial / width, byteClass, classes, next, accepts: this.accepts.slice(0, rows) };
  }

  /** The state before any text: scans that continue earlier ones pass the state the earlier scan returned. */
  get startState(): number {
    return this.initial;
  }

  /** Append every hit in `text[from, to)` to `hits`, starting in `state`; returns the state reached. */
  scan(text: string, hits: Hits, from = 0, to = text.length, state = this.initial): number {
    let i = from;
    let s = state;
    for (;;) {
      i = advanceText(this.delta, this.byteClass, text, i, to, s);
      s = reached;
      if (i < 0) return s;
      const c = text.charCodeAt(i++);
      s = this.follow(s, c < 256 ? c : 255, i, hits);
    }
  }

  /**
   * The same over bytes (offsets are byte offsets). A copy of `scan` on purpose: one loop over both strings
   * and byte arrays would see two input types, and V8 compiles such a loop far slower than two loops of one.
   */
  scanBytes(bytes: Uint8Array, hits: Hits, from = 0, to = bytes.length, state = this.initial): number {
    let i = from;
    let s = state;
    for (;;) {
      i = advanceBytes(this.delta, this.byteClass, bytes, i, to, s);
      s = reached;
      if (i < 0) return s;
      s = this.follow(s, bytes[i++]!, i, hits);
    }
  }

  /** Whether any pattern occurs in `text`. */
  test(text: string): boolean {
    let i = 0;
    let s = this.initial;
    for (;;) {
      i = advanceText(this.delta, this.byteClass, text, i, text.length, s);
      if (i < 0) return false;
      const c = text.charCodeAt(i++);
      const t = this.transition(reached, c < 256 ? c : 255);
      if (t < 0) return true;
      s = t;
    }
  }

  /** Whether any pattern occurs in `bytes`. */
  testBytes(bytes: Uint8Array): boolean {
    let i = 0;
    let s = this.initial;
    for (;;) {
      i = advanceBytes(this.delta, this.byteClass, bytes, i, bytes.length, s);
      if (i < 0) return false;
      const t = this.transition(reached, bytes[i++]!);
      if (t < 0) return true;
      s = t;
    }
  }

  /** Take the transition the fast loop stopped at; record hits if it accepts. Returns the new row offset. */
  private follow(row: number, byte: number, end: number, hits: Hits): number {
    const t = this.transition(row, byte);
    if (t >= 0) return t;
    const target = -t - 2;
    const list = this.accepts[target / this.width]!;
    for (let k = 0; k < list.length; k += 2) {
      hits.tags.push(list[k]!);
      hits.ends.push(end);
      hits.lengths.push(list[k + 1]!);
    }
    return target;
  }

  /** The table entry for (row, byte), computed if unknown. */
  private transition(row: number, byte: number): number {
    const t = this.delta[row + this.byteClass[byte]!]!;
    if (t !== UNKNOWN) return t;
    const entry = this.builder!.computeTransition(row, byte);
    this.delta = this.builder!.delta; // it may have grown
    return entry;
  }
}

/** The NFA side of a lazily built automaton: computes states and fills the table as scans reach them. */
class DfaBuilder {
  /** The table (see TriggerAutomaton); replaced by a larger copy as states are added. */
  delta: Int32Array;
  /** Rows (states) in use. */
  rows = 0;
  readonly accepts: (readonly number[])[] = [];
  readonly initial: number;
  // The NFA side (see the constructor).
  private readonly sequences: readonly Sequence[];
  /** Byte classes: symbols that every pattern item treats alike (the table's row width). */
  readonly classCount: number;
  readonly byteClass: Uint8Array;
  /** One byte of each class. */
  private readonly byteOfClass: Uint8Array;
  private readonly itemClasses: (Uint8Array | undefined)[];
  private readonly itemStar: Uint8Array;
  private readonly starts: readonly number[];
  private readonly closures: readonly (readonly number[])[];
  private readonly implicit: Uint8Array;
  /** Start groups (group 0: nothing, the state before any text), found as classes are first read. */
  private readonly groups: number[][] = [[]];
  private readonly groupIndex = new Map<string, number>();
  private readonly groupOf: Int32Array;
  private readonly inGroup: Uint8Array[] = [new Uint8Array(0)];
  private readonly groupMoves = new Map<number, number[]>();
  private readonly mark: Int32Array;
  private generation = 0;
  // The DFA side: state d is start group stateGroup[d] plus positions stateExtra[d].
  private readonly stateGroup: number[] = [];
  private readonly stateExtra: number[][] = [];
  private readonly buckets = new Map<number, number[]>();

  constructor(patterns: readonly TriggerPattern[]) {
    const sequences: Sequence[] = [];
    for (const p of patterns) {
      for (const items of parseTrigger(p.source, p.ignoreCase ?? false, p.maxLength, p.maxSets)) {
        sequences.push({ items, tag: p.tag, length: items.some((it) => it.star) ? -1 : items.length });
      }
    }
    if (sequences.length === 0) throw new TypeError('a trigger automaton needs at least one pattern');
    this.sequences = sequences;

    // Symbol classes: symbols that every item treats alike share a class. (Sets are interned by the parser,
    // so identical sets are one object.)
    const sets = [...new Set(sequences.flatMap((s) => s.items.map((it) => it.set)))];
    const signature = new Map<string, number>();
    const symbolClass = new Uint8Array(SYMBOLS);
    for (let sym = 0; sym < SYMBOLS; sym++) {
      let key = '';
      for (const set of sets) key += set[sym] ? '1' : '0';
      let cls = signature.get(key);
      if (cls === undefined) signature.set(key, (cls = signature.size));
      symbolClass[sym] = cls;
    }
    const classCount = signature.size;
    this.classCount = classCount;
    this.byteClass = new Uint8Array(256);
    for (let b = 0; b < 256; b++) this.byteClass[b] = symbolClass[b < 128 ? b : NON_ASCII]!;
    this.byteOfClass = new Uint8Array(classCount);
    for (let b = 255; b >= 0; b--) this.byteOfClass[this.byteClass[b]!] = b;
    const classesOf = new Map<Uint8Array, Uint8Array>();
    for (const set of sets) {
      const member = new Uint8Array(classCount);
      for (let sym = 0; sym < SYMBOLS; sym++) if (set[sym]) member[symbolClass[sym]!] = 1;
      classesOf.set(set, member);
    }

    // NFA positions: sequence k, items matched i → base[k] + i; i = items.length accepts.
    let nfaSize = 0;
    for (const s of sequences) nfaSize += s.items.length + 1;
    const seqOf = new Int32Array(nfaSize);
    const posOf = new Int32Array(nfaSize);
    const base: number[] = [];
    const closures: number[][] = new Array<number[]>(nfaSize);
    // Each position's next item: the classes it accepts, and whether it loops (moves are read off these).
    this.itemClasses = new Array<Uint8Array | undefined>(nfaSize);
    this.itemStar = new Uint8Array(nfaSize);
    {
      let id = 0;
      sequences.forEach((s, k) => {
        base.push(id);
        for (let i = 0; i <= s.items.length; i++, id++) {
          seqOf[id] = k;
          posOf[id] = i;
          const item = s.items[i];
          if (!item) continue;
          this.itemClasses[id] = classesOf.get(item.set)!;
          this.itemStar[id] = item.star ? 1 : 0;
        }
        // A loop may match nothing: a position before a loop also stands after it.
        for (let i = s.items.length, at = id - 1; i >= 0; i--, at--) {
          closures[at] = i < s.items.length && s.items[i]!.star ? [at, ...closures[at + 1]!] : [at];
        }
      });
    }
    this.closures = closures;
    const isAccepting = (id: number): boolean => posOf[id] === sequences[seqOf[id]!]!.items.length;
    this.acceptingTag = (id) => (isAccepting(id) ? seqOf[id]! : -1);

    // Start positions are implicit in every state (a pattern may begin anywhere); what they reach on one
    // character is a start group, shared by every state entered on that class. A state is its group plus
    // a few extra positions, which keeps the sets that are hashed and compared small.
    const starts = new Set<number>();
    for (const b of base) for (const c of closures[b]!) starts.add(c);
    this.starts = [...starts];
    this.implicit = new Uint8Array(nfaSize);
    for (const id of starts) if (!isAccepting(id)) this.implicit[id] = 1;
    this.mark = new Int32Array(nfaSize).fill(-1);
    this.groupOf = new Int32Array(classCount).fill(-1);

    this.delta = new Int32Array(classCount * 64);
    const before = this.intern(0, []);
    const afterBreak = this.computeTransition(before * classCount, 10);
    if (afterBreak < 0) throw new TypeError('a trigger matches a lone line break');
    this.initial = afterBreak;
  }

  /** Sequence index of an accepting NFA position, else -1. */
  private readonly acceptingTag: (id: number) => number;

  /** Build every reachable state now. */
  buildAll(): number {
    const width = this.classCount;
    for (let d = 0; d < this.rows; d++) {
      for (let c = 0; c < width; c++) if (this.delta[d * width + c] === UNKNOWN) this.computeTransition(d * width, this.byteOfClass[c]!);
    }
    return this.rows;
  }

  /** Compute where `row` goes on `byte`'s class, fill in the table, return the entry. */
  computeTransition(row: number, byte: number): number {
    const width = this.classCount;
    const d = row / width;
    const cls = this.byteClass[byte]!;
    const target = this.groupFor(cls);
    const member = this.inGroup[target]!;
    const mark = this.mark;
    const gen = this.generation++;
    const next: number[] = [];
    for (const id of this.movesOfGroup(this.stateGroup[d]!, cls)) {
      if (member[id] === 1 || mark[id] === gen) continue;
      mark[id] = gen;
      next.push(id);
    }
    for (const id of this.stateExtra[d]!) {
      const to = this.move(id, cls);
      if (to < 0) continue;
      for (const c of this.closures[to]!) {
        if (mark[c] === gen || this.implicit[c] === 1 || member[c] === 1) continue;
        mark[c] = gen;
        next.push(c);
      }
    }
    next.sort((a, b) => a - b);
    const state = this.intern(target, next);
    const entry = this.accepts[state]!.length > 0 ? -(state * width) - 2 : state * width;
    this.delta[row + cls] = entry; // (intern may have grown the table)
    return entry;
  }

  /** Where position `id` goes on `cls`: itself (a loop), the next position, or -1. */
  private move(id: number, cls: number): number {
    const classes = this.itemClasses[id];
    return classes !== undefined && classes[cls] === 1 ? (this.itemStar[id] === 1 ? id : id + 1) : -1;
  }

  /** The start group entered on `cls` (what the start positions reach), computed on first use. */
  private groupFor(cls: number): number {
    let g = this.groupOf[cls]!;
    if (g >= 0) return g;
    const out = new Set<number>();
    for (const id of this.starts) {
      const to = this.move(id, cls);
      if (to >= 0) for (const c of this.closures[to]!) if (this.implicit[c] === 0) out.add(c);
    }
    const sorted = [...out].sort((a, b) => a - b);
    const key = sorted.join(',');
    g = this.groupIndex.get(key) ?? -1;
    if (g < 0) {
      g = this.groups.length;
      this.groups.push(sorted);
      this.groupIndex.set(key, g);
      const member = new Uint8Array(this.implicit.length);
      for (const id of sorted) member[id] = 1;
      this.inGroup.push(member);
    }
    this.groupOf[cls] = g;
    return g;
  }

  /** Positions the start group `g` reaches on `cls` (beyond implicit ones), cached. */
  private movesOfGroup(g: number, cls: number): readonly number[] {
    const key = g * this.classCount + cls;
    let out = this.groupMoves.get(key);
    if (out === undefined) {
      out = [];
      const gen = this.generation++;
      for (const id of this.groups[g]!) {
        const to = this.move(id, cls);
        if (to < 0) continue;
        for (const c of this.closures[to]!) {
          if (this.mark[c] === gen || this.implicit[c] === 1) continue;
          this.mark[c] = gen;
          out.push(c);
        }
      }
      this.groupMoves.set(key, out);
    }
    return out;
  }

  /** The state for (group, extra positions), created (with an unknown row) if new. */
  private intern(g: number, extra: number[]): number {
    let h = Math.imul(0x811c9dc5 ^ g, 0x01000193);
    for (const id of extra) h = Math.imul(h ^ id, 0x01000193);
    const bucket = this.buckets.get(h);
    if (bucket) {
      for (const st of bucket) {
        const other = this.stateExtra[st]!;
        if (this.stateGroup[st] === g && other.length === extra.length && other.every((x, k) => x === extra[k])) return st;
      }
    }
    const st = this.rows++;
    if (st >= MAX_STATES) throw new TypeError(`trigger automaton over ${MAX_STATES} states: simplify the patterns`);
    this.stateGroup.push(g);
    this.stateExtra.push(extra);
    const tags: number[] = [];
    for (const id of [...this.groups[g]!, ...extra]) {
      const k = this.acceptingTag(id);
      if (k >= 0) tags.push(this.sequences[k]!.tag, this.sequences[k]!.length);
    }
    this.accepts.push(tags);
    if (bucket) bucket.push(st);
    else this.buckets.set(h, [st]);
    const width = this.classCount;
    if (this.rows * width > this.delta.length) {
      const grown = new Int32Array(this.delta.length * 2);
      grown.set(this.delta);
      this.delta = grown;
    }
    this.delta.fill(UNKNOWN, st * width, st * width + width);
    return st;
  }
}

// The scanning loops, kept apart from the bookkeeping: with nothing but the table walk inside, V8 compiles
// them to a tight loop (recording hits in the same loop made it a third slower). They stop before the
// character whose entry is negative (a hit or a table miss) and hand back the state through `reached`.
let reached = 0;

/**
 * Walk `text[i, to)` from row `s` until an entry is negative: that character's offset, or -1 at the end.
 * Unrolled four times: the loop's own overhead was a third of a screen's time. Every code unit from 0x80 up
 * reads as byte 0xFF (non-ASCII).
 */
function advanceText(delta: Int32Array, cls: Uint8Array, text: string, i: number, to: number, s: number): number {
  const last4 = to - 3;
  while (i < last4) {
    let c = text.charCodeAt(i);
    let t = delta[s + cls[c < 256 ? c : 255]!]!;
    if (t < 0) return ((reached = s), i);
    c = text.charCodeAt(i + 1);
    s = delta[t + cls[c < 256 ? c : 255]!]!;
    if (s < 0) return ((reached = t), i + 1);
    c = text.charCodeAt(i + 2);
    t = delta[s + cls[c < 256 ? c : 255]!]!;
    if (t < 0) return ((reached = s), i + 2);
    c = text.charCodeAt(i + 3);
    s = delta[t + cls[c < 256 ? c : 255]!]!;
    if (s < 0) return ((reached = t), i + 3);
    i += 4;
  }
  while (i < to) {
    const c = text.charCodeAt(i);
    const t = delta[s + cls[c < 256 ? c : 255]!]!;
    if (t < 0) return ((reached = s), i);
    s = t;
    i++;
  }
  reached = s;
  return -1;
}

/** The same over bytes. */
function advanceBytes(delta: Int32Array, cls: Uint8Array, bytes: Uint8Array, i: number, to: number, s: number): number {
  const last4 = to - 3;
  while (i < last4) {
    let t = delta[s + cls[bytes[i]!]!]!;
    if (t < 0) return ((reached = s), i);
    s = delta[t + cls[bytes[i + 1]!]!]!;
    if (s < 0) return ((reached = t), i + 1);
    t = delta[s + cls[bytes[i + 2]!]!]!;
    if (t < 0) return ((reached = s), i + 2);
    s = delta[t + cls[bytes[i + 3]!]!]!;
    if (s < 0) return ((reached = t), i + 3);
    i += 4;
  }
  while (i < to) {
    const t = delta[s + cls[bytes[i]!]!]!;
    if (t < 0) return ((reached = s), i);
    s = t;
    i++;
  }
  reached = s;
  return -1;
}
