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
  const spans = matches.map((m) => ({ start: m.start, end: m.start + m.length })).sort((a, b) => a.start - b.start);
  // Running maximum of span ends lets a binary search answer "does any span overlap [s, e)?".
  const maxEnd: number[] = [];
  for (const [i, span] of spans.entries()) {
    maxEnd.push(Math.max(span.end, i > 0 ? maxEnd[i - 1] : -Infinity));
  }

  const result: number[] = [];
  for (const [index, word] of words.entries()) {
    // Spans starting before the word's end are candidates; the last of them is at `last`.
    const last = countBelow(spans, word.charEnd) - 1;
    if (last < 0) continue;
    if (maxEnd[last] > word.charStart) result.push(index);
  }
  return result;
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
