import { IndexMatch } from './search-index.interface';

/** A word's `[charStart, charEnd)` span in the page content, in UTF-16 units. */
export interface WordSpan {
  charStart: number;
  charEnd: number;
}

/**
 * Returns the indexes (into `words`) of the words any match overlaps, ascending and without
 * duplicates. The word array is in reading order, so ascending indexes are in reading order too.
 *
 * A prefix or typo match may cover only part of a word; the whole word is still highlighted,
 * since polygons exist per word. An empty match counts as
 * one unit wide, marking the word it points into.
 */
export function mapMatchesToWords(words: readonly WordSpan[], matches: readonly IndexMatch[]): number[] {
  if (words.length === 0 || matches.length === 0) return [];
  const spans = matches
    .map((m) => ({ start: m.start, end: m.start + Math.max(1, m.length) }))
    .sort((a, b) => a.start - b.start);
  // Running maximum of span ends lets a binary search answer "does any span overlap [s, e)?".
  const maxEnd: number[] = [];
  for (const [i, span] of spans.entries()) {
    maxEnd.push(Math.max(span.end, i > 0 ? maxEnd[i - 1] : -Infinity));
  }

  const result: number[] = [];
  for (const [index, word] of words.entries()) {
    if (word.charEnd <= word.charStart) continue;
    // Spans starting before the word's end are candidates; the last of them is at `last`.
    const last = lastIndexBelow(spans, word.charEnd) - 1;
    if (last < 0) continue;
    if (maxEnd[last] > word.charStart) result.push(index);
  }
  return result;
}

/** Number of spans whose start is < limit (spans sorted by start). */
function lastIndexBelow(spans: readonly { start: number }[], limit: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].start < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
