import type { OcrPage } from '../src/ocr-result';

/** A development-set page's annotation (see the data set's README). */
export interface GroundTruth {
  width: number;
  height: number;
  language: string;
  granularity: 'word' | 'line';
  words: { text: string; bbox: number[] }[];
  lines?: { text: string; bbox: number[] }[];
}

export interface PageScore {
  gtWords: number;
  found: number;
  recall: number;
  /** Ground-truth words with a same-text OCR word, for box scoring (word-level pages). */
  matchedBoxes: number;
  iou50Count: number;
  iou30Count: number;
  iou50: number | null;
  iou30: number | null;
  /** Line-level pages: matched OCR words with at least half their box inside a truth line. */
  inLineCount: number;
  inLineTotal: number;
  inLine: number | null;
}

/** Lower-cased, without surrounding punctuation. */
export function normalizeWord(text: string): string {
  return text.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** The words that count: 4+ letters, letters only. */
export function isScoredWord(word: string): boolean {
  return /^\p{L}{4,}$/u.test(word);
}

type Box = [number, number, number, number];

function polygonBox(polygon: [number, number][], width: number, height: number): Box {
  const xs = polygon.map((p) => p[0] * width);
  const ys = polygon.map((p) => p[1] * height);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function area(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

function intersection(a: Box, b: Box): number {
  return area([Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]);
}

export function iou(a: Box, b: Box): number {
  const inter = intersection(a, b);
  return inter / (area(a) + area(b) - inter || 1);
}

/** Scores one page of OCR output against its truth, in the truth's pixel space. */
export function scorePage(truth: GroundTruth, page: OcrPage): PageScore {
  const ocr = page.words.map((word) => ({
    text: normalizeWord(word.content),
    box: polygonBox(word.polygon, truth.width, truth.height),
  }));
  const ocrTexts = new Set(ocr.map((word) => word.text));

  const gt: { text: string; box: Box | null; line: Box | null }[] = [];
  if (truth.granularity === 'word') {
    for (const word of truth.words) gt.push({ text: normalizeWord(word.text), box: word.bbox as Box, line: null });
  } else {
    for (const line of truth.lines ?? []) {
      for (const token of line.text.split(/\s+/)) {
        gt.push({ text: normalizeWord(token), box: null, line: line.bbox as Box });
      }
    }
  }
  const scored = gt.filter((word) => isScoredWord(word.text));
  let found = 0;
  let matchedBoxes = 0;
  let iou50Count = 0;
  let iou30Count = 0;
  let inLineCount = 0;
  let inLineTotal = 0;
  for (const word of scored) {
    const candidates = ocr.filter((o) => o.text === word.text);
    if (ocrTexts.has(word.text)) found += 1;
    if (word.box) {
      if (candidates.length) matchedBoxes += 1;
      const best = Math.max(0, ...candidates.map((o) => iou(o.box, word.box as Box)));
      if (best >= 0.5) iou50Count += 1;
      if (best >= 0.3) iou30Count += 1;
    } else if (word.line && candidates.length) {
      inLineTotal += 1;
      const inside = candidates.some((o) => intersection(o.box, word.line as Box) >= 0.5 * area(o.box));
      if (inside) inLineCount += 1;
    }
  }
  const n = scored.length || 1;
  return {
    gtWords: scored.length,
    found,
    recall: found / n,
    matchedBoxes,
    iou50Count,
    iou30Count,
    iou50: truth.granularity === 'word' ? iou50Count / n : null,
    iou30: truth.granularity === 'word' ? iou30Count / n : null,
    inLineCount,
    inLineTotal,
    inLine: inLineTotal ? inLineCount / inLineTotal : null,
  };
}
