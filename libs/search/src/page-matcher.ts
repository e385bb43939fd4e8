import type { ClassifiedMatch } from './match-kind.classifier';
import { classifyWord, isAllowed } from './match-kind.classifier';
import type { MatchKind, MatchOptions, ParsedQuery } from './query-terms.parser';
import { resolveMatchOptions } from './query-terms.parser';
import { foldForSearch, toOriginalRange } from './search-folding';

/**
 * The engine reads at most this many query words (Meilisearch drops the rest), so no later word
 * is highlighted either; a quoted phrase counts as one (its words are all matched, in sequence).
 */
const MAX_QUERY_WORDS = 10;
/** Meilisearch's default typo tolerance: 1 typo from 5 letters, 2 from 9. */
const ONE_TYPO_FROM = 5;
const TWO_TYPOS_FROM = 9;
/** Words longer than this are compared exactly (the engine does not derive typos of them either). */
const MAX_TYPO_WORD = 64;

// What foldForSearch would change: marks, symbols, long s, r rotunda and the ligatures.
const NEEDS_FOLDING = /[\p{M}\p{S}ſꝛẜẝ\uFB00-\uFB06]/u;
// A word (letters, digits and marks only) without anything but ASCII letters and digits.
const ASCII_WORD = /^[A-Za-z0-9]*$/;
const MARKS = /\p{M}/gu;

const RANK: Record<MatchKind, number> = { exact: 0, phrase: 1, prefix: 2, typo: 3 };

export interface PageMatches {
  /** The matches the query's options allow, in content order (UTF-16 offsets of the printed text). */
  matches: ClassifiedMatch[];
  /** How many words matched at all, before the options were applied. */
  candidates: number;
}

interface SingleTerm {
  text: string;
  /** Typos allowed, by the word's length in code points (as the engine counts letters). */
  budget: number;
  prefix: boolean;
  /**
   * The query ends in this word, so a longer word starting with it is a `prefix` match even with
   * prefixes off — then a candidate the options drop (the engine finds it as a typo).
   */
  typedAsPrefix: boolean;
  /** Neighbouring query words joined (an n-gram): how it matched is told word by word, as before. */
  joined: boolean;
  /** Its length in code points: how much of a page word a prefix match marks. */
  chars: number;
}

/** How a page word matched; `marks`: the code points the match covers (else the whole word). */
interface WordMatch {
  kind: MatchKind;
  typos: number;
  marks?: number;
}

interface Sequence {
  words: string[];
  kind: MatchKind;
}

/**
 * Which words of a page match a query, found on the page text itself rather than asked of the
 * engine: computing match positions is most of Meilisearch's work for a search (2.5-3 of ~4.9 ms
 * of CPU on 20 hits), and the page text comes from Postgres with the words anyway.
 *
 * The rules are the engine's (Meilisearch 1.x): words folded and compared without case or
 * accents; the last word also as a prefix when the query ends in it; typos by the query word's
 * length — none under 5 letters, 1 from 5 (with the first letter kept), 2 from 9 (a changed first
 * letter within one edit), a swap of neighbours as one; quoted phrases and words printed with inner
 * punctuation (`1,275`) as exact sequences; two or three query words written together on the page
 * (`lec ture` → `lecture`, with a typo fewer per word joined). Not the engine's split of a query word into the two words the index
 * holds most often side by side (`they` → `the y`): it rests on corpus statistics, and what it
 * marks is mostly noise. A page on which nothing matches (a split only, or a script the engine
 * segments differently) reports no candidates, and the caller asks the engine instead.
 */
export class PageMatcher {
  private readonly singles: SingleTerm[] = [];
  private readonly sequences: Sequence[] = [];
  private readonly options: MatchOptions;
  private readonly cache = new Map<string, WordMatch | null>();
  private readonly distance = new BoundedDistance();
  private gate: WordGate = NO_WORD;

  constructor(
    private readonly query: ParsedQuery,
    options: MatchOptions = {},
  ) {
    this.options = options;
    const { prefix, typos } = resolveMatchOptions(options);
    const allowTypos = typos !== 0;
    const budgetOf = (text: string) => {
      const length = [...text].length;
      if (!allowTypos || length > MAX_TYPO_WORD) return 0;
      return length >= TWO_TYPOS_FROM ? 2 : length >= ONE_TYPO_FROM ? 1 : 0;
    };
    const firstGroups = [...new Set(query.terms.map((t) => t.group))].slice(0, MAX_QUERY_WORDS);
    const terms = query.terms.filter((t) => firstGroups.includes(t.group));
    const groups = new Map<number, typeof terms>();
    for (const term of terms) groups.set(term.group, [...(groups.get(term.group) ?? []), term]);
    // The free (unquoted, single) words in query order; null where a phrase stands between them.
    const free: ({ text: string; prefix: boolean; typedAsPrefix: boolean } | null)[] = [];
    for (const group of groups.values()) {
      const [first] = group;
      if (first.phrase || first.compound) {
        this.sequences.push({ words: group.map((t) => t.text), kind: first.phrase ? 'phrase' : 'exact' });
        free.push(null);
        continue;
      }
      const isLast = first === terms[terms.length - 1];
      const typedAsPrefix = query.lastIsPrefix && isLast;
      const asPrefix = prefix && typedAsPrefix;
      this.singles.push({
        text: first.text,
        budget: budgetOf(first.text),
        prefix: asPrefix,
        typedAsPrefix,
        joined: false,
        chars: [...first.text].length,
      });
      free.push({ text: first.text, prefix: asPrefix, typedAsPrefix });
    }
    // Two or three neighbouring free words written as one on the page (the engine's n-grams), with
    // one typo fewer than a word of that length per word joined, a prefix if it ends in the last
    // query word.
    // With typos=0 every word reaches the engine quoted (buildEngineQuery): no n-grams then.
    for (let i = 0; allowTypos && i < free.length; i++) {
      for (let n = 2; n <= 3 && i + n <= free.length; n++) {
        const parts = free.slice(i, i + n);
        if (parts.some((p) => p === null)) break;
        const text = parts.map((p) => p!.text).join('');
        this.singles.push({
          text,
          budget: Math.max(0, budgetOf(text) - (n - 1)),
          prefix: parts[n - 1]!.prefix,
          typedAsPrefix: parts[n - 1]!.typedAsPrefix,
          joined: true,
          chars: [...text].length,
        });
      }
    }
    this.gate = gateOf(this.singles);
  }

  match(content: string): PageMatches {
    const fold = NEEDS_FOLDING.test(content) ? foldForSearch(content) : null;
    const text = fold ? fold.folded : content;
    const tokens = scanWords(text);
    const { starts, ends, count } = tokens;
    const best = new Array<WordMatch | null>(count).fill(null);
    const offer = (i: number, found: WordMatch) => {
      const current = best[i];
      if (!current || closer(found, current)) best[i] = found;
    };
    // Most words of a page can be ruled out by their length and first letter alone, before any
    // string is made of them: the per-word work is what a search spends here.
    const gate = this.gate;
    for (let i = 0; i < count; i++) {
      const length = ends[i] - starts[i];
      const ascii = tokens.ascii[i] === 1;
      const first = ascii ? tokens.lower.charCodeAt(starts[i]) : -1;
      const sameFirst =
        length >= gate.minLength && length <= gate.maxLength && (!ascii || gate.firstLetters.has(first));
      const anyFirst = length >= gate.anyFirstMinLength && length <= gate.anyFirstMaxLength;
      if (!sameFirst && !anyFirst) continue;
      const single = this.matchWord(tokens.word(i));
      if (single) offer(i, single);
    }
    for (const sequence of this.sequences) {
      const n = sequence.words.length;
      const head = sequence.words[0];
      for (let i = 0; i + n <= count; i++) {
        if (tokens.ascii[i] === 1 && ends[i] - starts[i] !== head.length) continue;
        let k = 0;
        while (k < n && tokens.word(i + k) === sequence.words[k]) k++;
        if (k === n) for (let j = 0; j < n; j++) offer(i + j, { kind: sequence.kind, typos: 0 });
      }
    }
    const matches: ClassifiedMatch[] = [];
    let candidates = 0;
    for (let i = 0; i < count; i++) {
      const found = best[i];
      if (!found) continue;
      candidates++;
      if (!isAllowed(found, this.options)) continue;
      const end = found.marks === undefined ? ends[i] : advance(text, starts[i], ends[i], found.marks);
      const span = fold ? toOriginalRange(fold, starts[i], end) : { start: starts[i], end };
      matches.push({ start: span.start, length: span.end - span.start, kind: found.kind, typos: found.typos });
    }
    return { matches, candidates };
  }

  /** The closest way one page word matches a free query word (cached: pages repeat their words). */
  private matchWord(word: string): WordMatch | null {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let best: WordMatch | null = null;
    for (const term of this.singles) {
      const found = this.compare(word, term);
      if (found && (!best || closer(found, best))) best = found;
      if (best?.kind === 'exact') break;
    }
    this.cache.set(word, best);
    return best;
  }

  /**
   * Like the engine, a prefix term marks as much of the word as the query word is long (`and` in
   * `anderer`, `tabac` in `tabacco`), any other term the whole word.
   */
  private compare(word: string, term: SingleTerm): WordMatch | null {
    let found = this.distanceTo(word, term);
    // An n-gram match is shown as the word's kind against the query's own words (usually `typo`),
    // as the engine's positions were classified.
    if (found && term.joined) found = classifyWord(word, this.query);
    return found && term.prefix ? { ...found, marks: term.chars } : found;
  }

  private distanceTo(word: string, term: SingleTerm): WordMatch | null {
    if (word === term.text) return { kind: 'exact', typos: 0 };
    if (term.typedAsPrefix && word.startsWith(term.text)) return { kind: 'prefix', typos: 0 };
    if (term.budget === 0 || word.length > MAX_TYPO_WORD) return null;
    // Lengths in UTF-16 units on both sides: a bound, the distance itself counts code points.
    if (word.length < term.text.length - term.budget * 2) return null;
    if (!term.prefix && word.length > term.text.length + term.budget * 2) return null;
    const sameFirst = word.codePointAt(0) === term.text.codePointAt(0);
    if (term.budget === 1 || sameFirst) {
      if (!sameFirst) return null;
      const d = this.distance.of(term.text, word, term.budget, term.prefix);
      return d <= term.budget ? { kind: 'typo', typos: d } : null;
    }
    // Two typos allowed and the first letter differs: the engine takes it within one edit (which
    // costs it two); to the `typos` option it is the one letter changed.
    return this.distance.of(term.text, word, 1, term.prefix) <= 1 ? { kind: 'typo', typos: 1 } : null;
  }
}

/**
 * Which page words can match at all, by UTF-16 length and (for ASCII words) first letter: every
 * single term wants its first letter kept, but for a changed first letter under two typos. Bounds
 * are loose (the distance decides); they only spare the rest of the page the work.
 */
interface WordGate {
  firstLetters: Set<number>;
  minLength: number;
  maxLength: number;
  anyFirstMinLength: number;
  anyFirstMaxLength: number;
}

const NO_WORD: WordGate = {
  firstLetters: new Set(),
  minLength: Infinity,
  maxLength: -1,
  anyFirstMinLength: Infinity,
  anyFirstMaxLength: -1,
};

function gateOf(terms: readonly SingleTerm[]): WordGate {
  const gate: WordGate = { ...NO_WORD, firstLetters: new Set() };
  for (const term of terms) {
    const slack = term.budget * 2;
    gate.firstLetters.add(term.text.charCodeAt(0));
    gate.minLength = Math.min(gate.minLength, term.text.length - slack);
    gate.maxLength = Math.max(gate.maxLength, term.typedAsPrefix ? Infinity : term.text.length + slack);
    if (term.budget === 2) {
      gate.anyFirstMinLength = Math.min(gate.anyFirstMinLength, term.text.length - 2);
      gate.anyFirstMaxLength = Math.max(gate.anyFirstMaxLength, term.prefix ? Infinity : term.text.length + 2);
    }
  }
  return gate;
}

interface ScannedWords {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** 1 where the word is ASCII letters and digits only. */
  ascii: Uint8Array;
  /** The text in lower case, when that keeps every offset (else the text itself). */
  lower: string;
  /** The word as compared with the query's (lower case, without accents). */
  word(i: number): string;
}

// Word characters of the Basic Latin block: digits and letters.
const ASCII_WORD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD_CHAR[c] = /[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const otherWordChars = new Map<number, boolean>();

function isOtherWordCode(code: number): boolean {
  let known = otherWordChars.get(code);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCodePoint(code));
    otherWordChars.set(code, known);
  }
  return known;
}

// Word bounds of the page being matched, reused between pages (matching is synchronous, one page
// at a time): arrays grown word by word for each of 20 hit pages were the scan's main cost.
let wordStarts = new Int32Array(1024);
let wordEnds = new Int32Array(1024);
let wordAscii = new Uint8Array(1024);

function grow(): void {
  const size = wordStarts.length * 2;
  const [starts, ends, ascii] = [new Int32Array(size), new Int32Array(size), new Uint8Array(size)];
  starts.set(wordStarts);
  ends.set(wordEnds);
  ascii.set(wordAscii);
  [wordStarts, wordEnds, wordAscii] = [starts, ends, ascii];
}

/** The page's words (runs of letters, digits and marks), found by char codes, not a regex. */
function scanWords(text: string): ScannedWords {
  let count = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    // ASCII first: OCR text is mostly that; a surrogate pair is read as one code point.
    if (code < 128 ? ASCII_WORD_CHAR[code] !== 1 : !isOtherWordCode((code = text.codePointAt(i)!))) {
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    let ascii = 1;
    while (i < length) {
      code = text.charCodeAt(i);
      if (code < 128) {
        if (ASCII_WORD_CHAR[code] !== 1) break;
        i++;
        continue;
      }
      const point = text.codePointAt(i)!;
      if (!isOtherWordCode(point)) break;
      ascii = 0;
      i += point > 0xffff ? 2 : 1;
    }
    if (count === wordStarts.length) grow();
    wordStarts[count] = start;
    wordEnds[count] = i;
    wordAscii[count++] = ascii;
  }
  const lowered = text.toLowerCase();
  const keepsOffsets = lowered.length === text.length;
  const lower = keepsOffsets ? lowered : text;
  const starts = wordStarts;
  const ends = wordEnds;
  // Without a lower-case copy at the same offsets, every word takes the slow path.
  if (!keepsOffsets) wordAscii.fill(0, 0, count);
  const ascii = wordAscii;
  return {
    count,
    starts,
    ends,
    ascii,
    lower,
    word: (k) => (ascii[k] === 1 ? lower.slice(starts[k], ends[k]) : normalise(text.slice(starts[k], ends[k]))),
  };
}

/** The offset `chars` code points after `start`, at most `end`. */
function advance(text: string, start: number, end: number, chars: number): number {
  let at = start;
  for (let n = 0; n < chars && at < end; n++) at += text.codePointAt(at)! > 0xffff ? 2 : 1;
  return at;
}

function closer(a: { kind: MatchKind; typos: number }, b: { kind: MatchKind; typos: number }): boolean {
  return RANK[a.kind] < RANK[b.kind] || (a.kind === b.kind && a.typos < b.typos);
}

function normalise(word: string): string {
  if (ASCII_WORD.test(word)) return word.toLowerCase();
  return word.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/**
 * Edits between a query word and a page word (or, for a prefix, the page word's closest
 * beginning), a swap of neighbours counting as one, computed only up to a limit: rows reused
 * between calls, code points compared.
 */
class BoundedDistance {
  private rows = [new Int32Array(72), new Int32Array(72), new Int32Array(72)];

  of(query: string, word: string, limit: number, prefix: boolean): number {
    const a = [...query];
    const b = [...word];
    const width = b.length + 1;
    if (this.rows[0].length < width) this.rows = this.rows.map(() => new Int32Array(width * 2));
    let [before, previous, current] = this.rows;
    for (let j = 0; j < width; j++) previous[j] = j;
    for (let i = 1; i <= a.length; i++) {
      current[0] = i;
      let rowMin = i;
      for (let j = 1; j < width; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        current[j] = d;
        if (d < rowMin) rowMin = d;
      }
      if (rowMin > limit) return limit + 1;
      [before, previous, current] = [previous, current, before];
    }
    // `previous` holds the last row: the whole query against every beginning of the word.
    if (!prefix) return previous[width - 1];
    let min = previous[0];
    for (let j = 1; j < width; j++) if (previous[j] < min) min = previous[j];
    return min;
  }
}
