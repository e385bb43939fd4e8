/** A word's `[charStart, charEnd)` span in the page content, in UTF-16 units. */
export interface WordSpan {
  charStart: number;
  charEnd: number;
}

/** A matched span of the page content: `[start, start + length)`, in UTF-16 units. */
export interface TextMatch {
  start: number;
  length: number;
}

/**
 * The one rule for which words a match covers, used for highlights (PageRepository.findHitPages)
 * and snippets alike: a word is covered when it overlaps a match, `charEnd > start` and
 * `charStart < start + length`. So a prefix or typo match covering part of a word highlights the
 * whole word (polygons exist per word), a match that only touches a word does not, an empty match
 * marks the word it falls strictly inside, and an empty word is covered only by a match around it.
 *
 * Returns the indexes (into `words`) of the covered words, ascending and without duplicates: with
 * words in reading order, in reading order too.
 */
export function mapMatchesToWords(words: readonly WordSpan[], matches: readonly TextMatch[]): number[] {
  if (words.length === 0 || matches.length === 0) return [];
  const covers = coverageOf(matches);
  const result: number[] = [];
  for (let index = 0; index < words.length; index++) {
    if (covers(words[index].charStart, words[index].charEnd)) result.push(index);
  }
  return result;
}

/**
 * The same rule for one word at a time, `[charStart, charEnd)`: for a reader that meets the words
 * one by one and keeps only the covered ones (PageRepository.findHitPages decodes a page's words
 * this way without building the others). Plain index loops: per-hit code runs for every word of
 * every hit page, and entries() iterators showed up in the API's profile.
 */
export function coverageOf(matches: readonly TextMatch[]): (charStart: number, charEnd: number) => boolean {
  if (matches.length === 0) return () => false;
  const spans = matches.map((m) => ({ start: m.start, end: m.start + m.length })).sort((a, b) => a.start - b.start);
  // Running maximum of span ends lets a binary search answer "does any span overlap [s, e)?".
  const maxEnd: number[] = new Array<number>(spans.length);
  for (let i = 0; i < spans.length; i++) maxEnd[i] = Math.max(spans[i].end, i > 0 ? maxEnd[i - 1] : -Infinity);
  return (charStart, charEnd) => {
    // Spans starting before the word's end are candidates; the last of them is at `last`.
    const last = countBelow(spans, charEnd) - 1;
    return last >= 0 && maxEnd[last] > charStart;
  };
}

/** Number of spans whose start is < limit (spans sorted by start). */
function countBelow(spans: readonly { start: number }[], limit: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].start < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
