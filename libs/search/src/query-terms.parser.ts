import { foldForSearch } from './search-folding';

/** How a highlighted word matched the query. */
export type MatchKind = 'exact' | 'prefix' | 'typo' | 'phrase';

/** How close a match must be: `auto` is the engine's rule (1 typo from 5 letters, 2 from 9). */
export type TypoTolerance = 0 | 1 | 2 | 'auto';

export interface MatchOptions {
  /** Default `auto`. */
  typos?: TypoTolerance;
  /** The last query word also matches longer words that start with it. Default true, false with `typos: 0`. */
  prefix?: boolean;
}

/**
 * The options in force: `typos=0` asks for the words as written, so prefixes are off with it
 * unless asked for (on the dev set they are most of what stays stray, docs/search-quality.md).
 */
export function resolveMatchOptions(options: MatchOptions = {}): Required<MatchOptions> {
  const typos = options.typos ?? 'auto';
  return { typos, prefix: options.prefix ?? typos !== 0 };
}

export interface QueryTerm {
  /** Folded and normalised, as compared with the page's words. */
  text: string;
  /** Inside a double-quoted phrase (the engine matches phrase words exactly, in sequence). */
  phrase: boolean;
  /** The index of the phrase this term belongs to, for rebuilding the query. */
  group: number;
  /**
   * One of the parts of a word printed with inner punctuation (`1,275`, `U.S.A.`, `co-operate`,
   * `O'Brien`, `12/03/1887`): the engine splits it at the punctuation, so its parts are searched
   * as a phrase (each exactly, in sequence), and a match of it counts as exact.
   */
  compound?: true;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  /** The engine treats the last word as a prefix when nothing but letters follow it. */
  lastIsPrefix: boolean;
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/** Lower case without accents, as the engine compares words (Müller = muller). */
export function normaliseTerm(text: string): string {
  return foldForSearch(text).folded.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The normalised words of a stretch of query text (symbols glued to words fold away first). */
function wordsOf(text: string): string[] {
  return [...foldForSearch(text).folded.matchAll(TOKEN)].map((m) => normaliseTerm(m[0])).filter(Boolean);
}

/**
 * The words of a query, with its double-quoted phrases (an unclosed quote runs to the end). Outside
 * quotes, a whitespace-free stretch of several words (`1,275`) is one compound group.
 */
export function parseQuery(q: string): ParsedQuery {
  const terms: QueryTerm[] = [];
  const parts = q.split('"');
  let group = 0;
  for (const [i, part] of parts.entries()) {
    const phrase = i % 2 === 1;
    if (phrase) {
      const words = wordsOf(part);
      if (words.length) terms.push(...words.map((text) => ({ text, phrase, group })));
      group++;
      continue;
    }
    for (const chunk of part.split(/\s+/u)) {
      const words = wordsOf(chunk);
      if (words.length === 0) continue;
      const compound = words.length > 1 ? { compound: true as const } : {};
      terms.push(...words.map((text) => ({ text, phrase, group, ...compound })));
      group++;
    }
  }
  const last = terms[terms.length - 1];
  // A compound is sent as a phrase, which the engine never matches as a prefix.
  const lastIsPrefix = !!last && !last.phrase && !last.compound && /[\p{L}\p{N}\p{M}]$/u.test(q);
  return { terms, lastIsPrefix };
}

/** Edits between two words, a swap of neighbours counting as one (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array<number>(y.length).fill(0)]);
  for (let j = 1; j <= y.length; j++) rows[0][j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[x.length][y.length];
}
