import { coverageOf, WordSpan } from './matched-words.mapper';
import { IndexMatch } from './search-index.interface';

export interface SnippetOptions {
  /** Approximate length of the snippet in words (default 30). */
  words?: number;
  /** Marks text left out at either end (default `…`). */
  ellipsis?: string;
  /** Locale for word segmentation; scripts without spaces (CJK, Thai) depend on it less than on ICU. */
  locale?: string;
}

const DEFAULT_WORDS = 30;
const segmenters = new Map<string, Intl.Segmenter>();

/**
 * Builds an HTML snippet of about `words` words around the densest cluster of matches (the first
 * one on ties), with matched spans in `<mark>` and everything else HTML-escaped. It cuts at word
 * boundaries only (Unicode word segmentation, so it also works for scripts without spaces) and
 * collapses whitespace runs, since OCR content is full of line breaks.
 */
export function buildSnippet(content: string, matches: readonly IndexMatch[], options: SnippetOptions = {}): string {
  const size = Math.max(1, Math.floor(options.words ?? DEFAULT_WORDS));
  const ellipsis = options.ellipsis ?? '…';
  const total = scanWords(content, options.locale);
  if (total === 0) return render(content, 0, content.length, matches);

  // The matched words, by the one overlap rule (mapMatchesToWords), read off the scan's bounds.
  const covers = coverageOf(matches);
  const matched: number[] = [];
  for (let i = 0; i < total; i++) if (covers(starts[i], ends[i])) matched.push(i);
  const count = Math.min(size, total);
  const first = chooseWindowStart(matched, count, total);
  const last = first + count - 1;

  // Keep punctuation glued to the edge words ("(word", "word."); with no word left out on a side,
  // keep everything on that side (symbols, emoji) rather than cutting non-words.
  let start = starts[first];
  if (first === 0) for (start = 0; isSpace(content[start]);) start++;
  else while (start > ends[first - 1] && !isSpace(content[start - 1])) start--;
  let end = ends[last];
  if (last === total - 1) for (end = content.length; isSpace(content[end - 1]);) end--;
  else while (end < starts[last + 1] && !isSpace(content[end])) end++;

  const before = content.slice(0, start);
  const after = content.slice(end);
  const prefix = before.trim() === '' ? '' : ellipsis + (isSpace(before.at(-1)) ? ' ' : '');
  const suffix = after.trim() === '' ? '' : (isSpace(after[0]) ? ' ' : '') + ellipsis;
  return prefix + render(content, start, end, matches) + suffix;
}

/** First word of the window of `count` words holding the most matched words. */
function chooseWindowStart(matched: number[], count: number, total: number): number {
  if (matched.length === 0) return 0;
  let best = 0;
  let bestCount = 0;
  let j = 0;
  for (let i = 0; i < matched.length; i++) {
    if (j < i) j = i;
    while (j + 1 < matched.length && matched[j + 1] < matched[i] + count) j++;
    if (j - i + 1 > bestCount) {
      bestCount = j - i + 1;
      best = i;
    }
  }
  // Centre the cluster so there is context on both sides.
  const clusterFirst = matched[best];
  const clusterLast = matched[best + bestCount - 1];
  const slack = count - (clusterLast - clusterFirst + 1);
  const start = clusterFirst - Math.floor(slack / 2);
  return Math.min(Math.max(0, start), total - count);
}

// A run of ASCII letters and digits between ASCII whitespace is exactly one word under Unicode
// word segmentation (UAX #29 never breaks inside it and always breaks at whitespace), also with
// opening punctuation before it or closing punctuation after it (they join words only when a
// letter or digit follows them), so only the other runs need Intl.Segmenter. OCR text is mostly
// such runs. Segmenting whole pages with Intl.Segmenter was a fifth of the API's CPU under search
// load, and matching those runs with regular expressions still most of the snippet's cost, hence
// the scan by character code (docs/benchmarks.md). The letters of Latin-1 and Latin Extended-A/B
// (U+00C0–U+024F but × and ÷) are ALetter too, never broken between: German, French and Nordic
// words (für, société) take the same path instead of one Intl.Segmenter call each (the spec
// checks every one of them against Intl.Segmenter).
const isRunSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isWordUnit = (c: number) =>
  (c >= 48 && c <= 57) ||
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
/** ( " ' [ */
const isOpening = (c: number) => c === 40 || c === 34 || c === 39 || c === 91;
/** . , ; : ! ? ) " ' ] */
const isClosing = (c: number) =>
  c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 41 || c === 34 || c === 39 || c === 93;

/** Word-like segments of content, as Intl.Segmenter finds them. Exported for tests. */
export function segmentWords(content: string, locale?: string): WordSpan[] {
  const count = scanWords(content, locale);
  const words: WordSpan[] = new Array<WordSpan>(count);
  for (let i = 0; i < count; i++) words[i] = { charStart: starts[i], charEnd: ends[i] };
  return words;
}

// The bounds of the words scanWords found last, reused between calls (snippets are built one at
// a time): an object per word, ~4,000 a search, was garbage for the collector.
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);

/** Finds content's words into `starts`/`ends`; returns how many. */
function scanWords(content: string, locale: string | undefined): number {
  let count = 0;
  const push = (start: number, end: number) => {
    if (count === starts.length) {
      const [moreStarts, moreEnds] = [new Int32Array(count * 2), new Int32Array(count * 2)];
      moreStarts.set(starts);
      moreEnds.set(ends);
      [starts, ends] = [moreStarts, moreEnds];
    }
    starts[count] = start;
    ends[count++] = end;
  };
  const length = content.length;
  let i = 0;
  while (i < length) {
    if (isRunSpace(content.charCodeAt(i))) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < length && !isRunSpace(content.charCodeAt(i))) i++;
    let j = runStart;
    while (j < i && isOpening(content.charCodeAt(j))) j++;
    const wordStart = j;
    while (j < i && isWordUnit(content.charCodeAt(j))) j++;
    const wordEnd = j;
    while (j < i && isClosing(content.charCodeAt(j))) j++;
    if (wordEnd > wordStart && j === i) {
      push(wordStart, wordEnd);
      continue;
    }
    for (const segment of segmenterFor(locale).segment(content.slice(runStart, i))) {
      if (segment.isWordLike) {
        const start = runStart + segment.index;
        push(start, start + segment.segment.length);
      }
    }
  }
  return count;
}

function segmenterFor(locale: string | undefined): Intl.Segmenter {
  const key = locale ?? '';
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(key, segmenter);
  }
  return segmenter;
}

/** Escapes and marks content[start, end), clipping and merging the matches to that range. */
function render(content: string, start: number, end: number, matches: readonly IndexMatch[]): string {
  const marks = matches
    .map((m) => [Math.max(start, m.start), Math.min(end, m.start + m.length)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let html = '';
  let cursor = start;
  for (let i = 0; i < marks.length; i++) {
    const markStart = Math.max(cursor, marks[i][0]);
    let markEnd = marks[i][1];
    while (i + 1 < marks.length && marks[i + 1][0] <= markEnd) markEnd = Math.max(markEnd, marks[++i][1]);
    if (markEnd <= markStart) continue;
    html += text(content.slice(cursor, markStart));
    html += `<mark>${text(content.slice(markStart, markEnd))}</mark>`;
    cursor = markEnd;
  }
  return html + text(content.slice(cursor, end));
}

function text(raw: string): string {
  return escapeHtml(raw.replace(/\s+/g, ' '));
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(raw: string): string {
  return raw.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}
