import { IndexMatch } from './search-index.interface';
import {
  editDistance,
  MatchKind,
  MatchOptions,
  normaliseTerm,
  ParsedQuery,
  resolveMatchOptions,
} from './query-terms.parser';

export interface ClassifiedMatch extends IndexMatch {
  kind: MatchKind;
  /** Letters changed against the closest query word (0 unless `typo`). */
  typos: number;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;

/** Strongest first: a word matched several ways is shown as its closest match. */
const RANK: Record<MatchKind, number> = { exact: 0, phrase: 1, prefix: 2, typo: 3 };

/** The whole words of `content` a match is in (the engine reports prefixes and typos by the query's length). */
function matchedWord(content: string, match: IndexMatch): string {
  let start = match.start;
  while (start > 0 && WORD_CHAR.test(content[start - 1])) start--;
  let end = Math.max(match.start + match.length, start);
  while (end < content.length && WORD_CHAR.test(content[end])) end++;
  return content.slice(start, end);
}

/**
 * How a word of the page matched the query: the same word (`exact`), a word of a quoted phrase
 * (`phrase`), a longer word starting with the last query word (`prefix`), or otherwise within the
 * engine's typo tolerance (`typo`, with the number of edits to the closest query word).
 */
export function classifyWord(word: string, query: ParsedQuery): { kind: MatchKind; typos: number } {
  const text = normaliseTerm(word.replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, ''));
  let best: { kind: MatchKind; typos: number } = { kind: 'typo', typos: Number.POSITIVE_INFINITY };
  const better = (kind: MatchKind, typos: number) => {
    if (RANK[kind] < RANK[best.kind] || (kind === best.kind && typos < best.typos)) best = { kind, typos };
  };
  for (const [i, term] of query.terms.entries()) {
    if (text === term.text) {
      better(term.phrase ? 'phrase' : 'exact', 0);
      continue;
    }
    if (term.phrase || term.compound) continue;
    const prefixable = query.lastIsPrefix && i === query.terms.length - 1;
    if (prefixable && text.startsWith(term.text)) {
      better('prefix', 0);
      continue;
    }
    let typos = editDistance(term.text, text);
    if (prefixable) {
      // A typo in a prefix: compare with the word's beginnings of about the query word's length.
      const letters = [...text];
      const n = [...term.text].length;
      for (let len = Math.max(1, n - 2); len <= Math.min(letters.length, n + 2); len++) {
        typos = Math.min(typos, editDistance(term.text, letters.slice(0, len).join('')));
      }
    }
    better('typo', typos);
  }
  return best;
}

/** Whether a match of this kind is wanted under the query's options. */
export function isAllowed(match: { kind: MatchKind; typos: number }, options: MatchOptions): boolean {
  const { typos: limit, prefix } = resolveMatchOptions(options);
  if (match.kind === 'prefix') return prefix;
  if (match.kind !== 'typo') return true;
  return limit === 'auto' || match.typos <= limit;
}

/** A match over several words (the engine reports a phrase as one): its loosest word. */
function classifySpan(text: string, query: ParsedQuery): { kind: MatchKind; typos: number } {
  const words = text.match(WORD_RUN) ?? [text];
  const kinds = words.map((w) => classifyWord(w, query));
  return kinds.reduce((a, b) => (RANK[b.kind] > RANK[a.kind] || (a.kind === b.kind && b.typos > a.typos) ? b : a));
}

/** Classifies the engine's matches on a page's content and keeps those the options allow. */
export function classifyMatches(
  content: string,
  matches: readonly IndexMatch[],
  query: ParsedQuery,
  options: MatchOptions,
): ClassifiedMatch[] {
  return matches
    .map((m) => ({ ...m, ...classifySpan(matchedWord(content, m), query) }))
    .filter((m) => isAllowed(m, options));
}

/** The kind of a highlighted word (or region): the closest of the matches it overlaps. */
export function kindOf(charStart: number, charEnd: number, matches: readonly ClassifiedMatch[]): MatchKind {
  let kind: MatchKind | undefined;
  for (const m of matches) {
    const end = m.start + Math.max(1, m.length);
    if (m.start < charEnd && end > charStart && (kind === undefined || RANK[m.kind] < RANK[kind])) kind = m.kind;
  }
  return kind ?? 'exact';
}

/** The loosest kind among several words (a merged region is only as exact as its loosest word). */
export function loosestKind(kinds: readonly MatchKind[]): MatchKind {
  return kinds.reduce<MatchKind>((a, b) => (RANK[b] > RANK[a] ? b : a), 'exact');
}
