import type { OcrWord, Point } from '../../ocr-result';
import { clamp01, roundPoint } from './geometry';

/** The parts of a pdfjs TextItem this module needs. */
export interface TextLayerItem {
  str: string;
  /** Text space to PDF user space: [a, b, c, d, e, f], font size folded in. */
  transform: number[];
  /** Advance of the whole string in user space units. */
  width: number;
  height: number;
  fontName: string;
  hasEOL: boolean;
}

export interface TextLayerFontStyle {
  ascent?: number;
  descent?: number;
}

export interface TextLayerPage {
  items: TextLayerItem[];
  styles: Record<string, TextLayerFontStyle>;
  /** pdfjs viewport transform at scale 1 (PDF user space to top-left-origin points). */
  viewportTransform: number[];
  width: number;
  height: number;
}

// Helvetica advance widths (1/1000 em). Real fonts differ, but splitting an item's width by these
// instead of by character count puts word edges within a fraction of a character in most fonts.
const UPPER = [
  667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
  667, 667, 611,
];
const LOWER = [
  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
  500, 500, 500,
];
const PUNCT: Record<string, number> = {
  ' ': 278,
  '.': 278,
  ',': 278,
  ':': 278,
  ';': 278,
  '!': 278,
  '|': 260,
  "'": 191,
  '"': 355,
  '-': 333,
  '(': 333,
  ')': 333,
  '[': 278,
  ']': 278,
  '/': 278,
  '\\': 278,
  ß: 611,
  '@': 1015,
  '%': 889,
  '&': 667,
  '*': 389,
  '+': 584,
  '=': 584,
  _: 556,
  '?': 556,
  '\u00a0': 278,
};

export function charWidth(char: string): number {
  if (PUNCT[char] !== undefined) return PUNCT[char];
  const base = char.normalize('NFD')[0] ?? char;
  const code = base.charCodeAt(0);
  if (code >= 65 && code <= 90) return UPPER[code - 65];
  if (code >= 97 && code <= 122) return LOWER[code - 97];
  return 556;
}

export interface WordSpan {
  text: string;
  /** Fractions of the item's advance where the word starts and ends. */
  start: number;
  end: number;
  /** Whether whitespace (or the item's start) precedes / follows the word inside the item. */
  openStart: boolean;
  openEnd: boolean;
}

/** Splits a text item's string into words, locating each by estimated glyph widths. */
export function splitIntoWords(str: string): WordSpan[] {
  const chars = Array.from(str);
  const widths = chars.map(charWidth);
  const total = widths.reduce((sum, w) => sum + w, 0) || 1;
  const spans: WordSpan[] = [];
  let offset = 0;
  let current: { text: string; start: number; end: number } | null = null;
  chars.forEach((char, index) => {
    const isSpace = /\s/u.test(char);
    if (!isSpace) {
      if (!current) current = { text: '', start: offset, end: offset };
      current.text += char;
      current.end = offset + widths[index];
    } else if (current) {
      spans.push({
        ...finish(current, total),
        openStart: false,
        openEnd: false,
      });
      current = null;
    }
    offset += widths[index];
  });
  if (current) spans.push({ ...finish(current, total), openStart: false, openEnd: false });
  // A word touching the item's edge may continue in the neighbouring item (pdfjs splits strings
  // at kerning and font changes), so the caller may glue it to its neighbour.
  if (spans.length > 0) {
    spans[0].openStart = !/^\s/u.test(str);
    spans[spans.length - 1].openEnd = !/\s$/u.test(str);
  }
  return spans;
}

function finish(word: { text: string; start: number; end: number }, total: number) {
  return { text: word.text, start: word.start / total, end: word.end / total };
}

function apply(m: number[], x: number, y: number): Point {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

interface PreviousItem {
  baseline: Point;
  up: Point;
  fontSize: number;
}

interface PlacedWord {
  text: string;
  /** Top-left, top-right, bottom-right, bottom-left in top-left-origin points. */
  corners: Point[];
  line: number;
  openStart: boolean;
  openEnd: boolean;
  fontSize: number;
}

/** Words of a born-digital PDF page with relative polygons, from pdfjs text content. */
export function textLayerWords(page: TextLayerPage): OcrWord[] {
  const placed: PlacedWord[] = [];
  let line = 0;
  let pendingBreak = false;
  let previous: PreviousItem | null = null;

  for (const item of page.items) {
    const spans = splitIntoWords(item.str);
    if (spans.length === 0) {
      // Whitespace-only items still carry the line ends some producers put on them.
      pendingBreak ||= item.hasEOL;
      continue;
    }
    const [a, b, c, d, e, f] = item.transform;
    const fontSize = Math.hypot(c, d) || Math.hypot(a, b) || item.height || 1;
    const dirLength = Math.hypot(a, b) || 1;
    const dir: Point = [a / dirLength, b / dirLength];
    const up: Point = [c / fontSize, d / fontSize];
    if (previous) {
      // Distance of this baseline from the previous one, across the text direction.
      const dy = (e - previous.baseline[0]) * previous.up[0] + (f - previous.baseline[1]) * previous.up[1];
      if (pendingBreak || Math.abs(dy) > 0.5 * Math.min(fontSize, previous.fontSize)) line += 1;
    }
    pendingBreak = item.hasEOL;
    previous = { baseline: [e, f], up, fontSize };

    const style = page.styles[item.fontName] ?? {};
    const ascent = style.ascent && style.ascent > 0 ? style.ascent : 0.8;
    const descent = style.descent && style.descent < 0 ? style.descent : -0.2;
    const advance = item.width > 0 ? item.width : fontSize * 0.5 * item.str.length;

    for (const span of spans) {
      const x0 = span.start * advance;
      const x1 = span.end * advance;
      const point = (along: number, across: number): Point => {
        const ux = e + dir[0] * along + up[0] * across * fontSize;
        const uy = f + dir[1] * along + up[1] * across * fontSize;
        return apply(page.viewportTransform, ux, uy);
      };
      placed.push({
        text: span.text,
        corners: [point(x0, ascent), point(x1, ascent), point(x1, descent), point(x0, descent)],
        line,
        openStart: span.openStart,
        openEnd: span.openEnd,
        fontSize,
      });
    }
  }

  const merged: PlacedWord[] = [];
  for (const word of placed) {
    const last = merged[merged.length - 1];
    if (last && last.line === word.line && last.openEnd && word.openStart && touches(last, word)) {
      last.text += word.text;
      last.corners = [last.corners[0], word.corners[1], word.corners[2], last.corners[3]];
      last.openEnd = word.openEnd;
      continue;
    }
    merged.push({ ...word });
  }

  return merged.map((word) => ({
    content: word.text,
    polygon: word.corners.map(([x, y]) => roundPoint([clamp01(x / page.width), clamp01(y / page.height)])),
    confidence: null,
    line: word.line,
  }));
}

/** Whether the next fragment starts where the last one ends (no visual gap between them). */
function touches(last: PlacedWord, next: PlacedWord): boolean {
  const [ex, ey] = last.corners[1];
  const [sx, sy] = next.corners[0];
  return Math.hypot(sx - ex, sy - ey) < 0.15 * Math.min(last.fontSize, next.fontSize);
}

/** Letters and digits in the text layer: what decides whether it is worth using. */
export function countTextCharacters(items: Pick<TextLayerItem, 'str'>[]): number {
  let count = 0;
  for (const item of items) count += (item.str.match(/[\p{L}\p{N}]/gu) ?? []).length;
  return count;
}
