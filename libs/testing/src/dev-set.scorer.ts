import { Box, containment, iou, polygonToBox } from './geometry';
import { DevScan } from './dev-scans';

export interface Highlight {
  content: string;
  polygon: [number, number][];
}

export interface OcrWordView {
  content: string;
  polygon: [number, number][];
}

/** Searches a word inside the uploaded document of a scan; returns the highlights of its page, or null when no hit. */
export type WordSearch = (word: string) => Promise<Highlight[] | null>;

export interface ScanScore {
  name: string;
  dataset: string;
  queried: number;
  found: number;
  boxedAt50: number;
  boxedAt30: number;
  highlights: number;
  /** Highlights that land on no ground-truth occurrence of the queried word. */
  strayHighlights: number;
  groundTruthWords: number;
  /** Ground-truth words that the OCR read right, in the right place. */
  wordsReadRight: number;
}

export const normaliseWord = (text: string) => text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase();

interface Occurrence {
  text: string;
  /** Where the word is printed: its box, or its line's box (two lines for a hyphenated word). */
  boxes: Box[];
  line: boolean;
}

/**
 * Every ground-truth word with its box (line-level pages: the line's box). A word hyphenated
 * across a line end is one word, as a reader searches it, found on either of its two lines.
 */
function occurrences(scan: DevScan): Occurrence[] {
  if (scan.granularity !== 'line') {
    return scan.words
      .map((w) => ({ text: normaliseWord(w.text), boxes: [w.bbox as Box], line: false }))
      .filter((o) => o.text.length > 0);
  }
  const lines = scan.lines.map((l) => ({ tokens: l.text.split(/\s+/).filter(Boolean), box: l.bbox as Box }));
  const found: Occurrence[] = [];
  let carried: { prefix: string; box: Box } | null = null;
  for (const [i, line] of lines.entries()) {
    for (const [j, token] of line.tokens.entries()) {
      let text = token;
      const boxes: Box[] = [line.box];
      if (j === 0 && carried) {
        text = carried.prefix + token;
        boxes.push(carried.box);
        carried = null;
      }
      const last = j === line.tokens.length - 1;
      const nextFirst = lines[i + 1]?.tokens[0];
      if (last && nextFirst && /\p{L}[-\u00AD\u2010¬⸗=]$/u.test(text) && /^\p{Ll}/u.test(nextFirst)) {
        carried = { prefix: text.slice(0, -1), box: line.box };
        continue;
      }
      const normal = normaliseWord(text);
      if (normal) found.push({ text: normal, boxes, line: true });
    }
  }
  return found;
}

/** Whether a returned box is on a ground-truth occurrence (IoU for words, containment for lines). */
function onOccurrence(box: Box, o: Occurrence, minIou: number): boolean {
  return o.boxes.some((b) => (o.line ? containment(box, b) >= 0.5 : iou(box, b) >= minIou));
}

/** The words that count (docs/search-quality.md): 4+ letters, letters only. */
export const isScoredWord = (word: string) => /^\p{L}{4,}$/u.test(word);

/** The scoring of docs/search-quality.md: each ground-truth word of 4+ letters is searched in its document. */
export function queryWords(scan: DevScan): { word: string; occurrences: Occurrence[] }[] {
  const byWord = new Map<string, Occurrence[]>();
  for (const o of occurrences(scan)) {
    if (!isScoredWord(o.text)) continue;
    byWord.set(o.text, [...(byWord.get(o.text) ?? []), o]);
  }
  return [...byWord.entries()].map(([word, list]) => ({ word, occurrences: list }));
}

export async function scoreScan(scan: DevScan, search: WordSearch, ocrWords: OcrWordView[] = []): Promise<ScanScore> {
  const score: ScanScore = {
    name: scan.name,
    dataset: scan.dataset,
    queried: 0,
    found: 0,
    boxedAt50: 0,
    boxedAt30: 0,
    highlights: 0,
    strayHighlights: 0,
    groundTruthWords: 0,
    wordsReadRight: 0,
  };
  for (const { word, occurrences: list } of queryWords(scan)) {
    score.queried++;
    const highlights = await search(word);
    if (!highlights) continue;
    score.found++;
    const boxes = highlights.map((h) => polygonToBox(h.polygon, scan.width, scan.height));
    const best = Math.max(
      0,
      ...boxes.flatMap((b) =>
        list.flatMap((o) => o.boxes.map((g) => (o.line ? (containment(b, g) >= 0.5 ? 1 : 0) : iou(b, g)))),
      ),
    );
    if (best >= 0.5) score.boxedAt50++;
    if (best >= 0.3) score.boxedAt30++;
    score.highlights += boxes.length;
    score.strayHighlights += boxes.filter((b) => !list.some((o) => onOccurrence(b, o, 0.3))).length;
  }
  const read = ocrWords.map((w) => ({
    text: normaliseWord(w.content),
    box: polygonToBox(w.polygon, scan.width, scan.height),
  }));
  for (const o of occurrences(scan)) {
    score.groundTruthWords++;
    if (read.some((r) => r.text === o.text && onOccurrence(r.box, o, 0.3))) score.wordsReadRight++;
  }
  return score;
}

/** How well the OCR alone read one page: every scored ground-truth occurrence, not every distinct word. */
export interface OcrPageScore {
  gtWords: number;
  /** Occurrences whose text the OCR read somewhere on the page. */
  found: number;
  recall: number;
  iou50Count: number;
  iou30Count: number;
  /** Word-level pages: share of occurrences with a same-text OCR word at IoU ≥ 0.5 / ≥ 0.3. */
  iou50: number | null;
  iou30: number | null;
  /** Line-level pages: found occurrences with a same-text OCR word at least half inside the line. */
  inLineCount: number;
  inLineTotal: number;
  inLine: number | null;
}

/** Scores the OCR's words of a page against the scan's ground truth (no search involved). */
export function scoreOcrPage(scan: DevScan, ocrWords: OcrWordView[]): OcrPageScore {
  const read = ocrWords.map((w) => ({
    text: normaliseWord(w.content),
    box: polygonToBox(w.polygon, scan.width, scan.height),
  }));
  const scored = occurrences(scan).filter((o) => isScoredWord(o.text));
  const score = { gtWords: scored.length, found: 0, iou50Count: 0, iou30Count: 0, inLineCount: 0, inLineTotal: 0 };
  for (const o of scored) {
    const candidates = read.filter((r) => r.text === o.text);
    if (!candidates.length) continue;
    score.found++;
    if (o.line) {
      score.inLineTotal++;
      if (candidates.some((c) => o.boxes.some((b) => containment(c.box, b) >= 0.5))) score.inLineCount++;
      continue;
    }
    const best = Math.max(0, ...candidates.flatMap((c) => o.boxes.map((b) => iou(c.box, b))));
    if (best >= 0.5) score.iou50Count++;
    if (best >= 0.3) score.iou30Count++;
  }
  const n = score.gtWords || 1;
  const wordLevel = scan.granularity !== 'line';
  return {
    ...score,
    recall: score.found / n,
    iou50: wordLevel ? score.iou50Count / n : null,
    iou30: wordLevel ? score.iou30Count / n : null,
    inLine: score.inLineTotal ? score.inLineCount / score.inLineTotal : null,
  };
}

export interface DatasetTotals {
  pages: number;
  queried: number;
  recall: number;
  iouAt50: number;
  iouAt30: number;
  strayHighlightShare: number;
  ocrWordAccuracy: number;
}

export function totals(scores: ScanScore[]): DatasetTotals {
  const sum = (k: keyof ScanScore) => scores.reduce((s, x) => s + (x[k] as number), 0);
  const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : 0);
  const q = sum('queried');
  return {
    pages: scores.length,
    queried: q,
    recall: ratio(sum('found'), q),
    iouAt50: ratio(sum('boxedAt50'), q),
    iouAt30: ratio(sum('boxedAt30'), q),
    strayHighlightShare: ratio(sum('strayHighlights'), sum('highlights')),
    ocrWordAccuracy: ratio(sum('wordsReadRight'), sum('groundTruthWords')),
  };
}
