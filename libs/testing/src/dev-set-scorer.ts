import { Box, containment, iou, polygonToBox } from './geometry';
import { DevScan } from './dev-scans';

export interface Highlight {
  content: string;
  polygon: [number, number][];
}

/** Searches a word inside the uploaded document of a scan; returns the highlights of page 1, or null when no hit. */
export type WordSearch = (word: string) => Promise<Highlight[] | null>;

export interface ScanScore {
  name: string;
  dataset: string;
  queried: number;
  found: number;
  boxedAt50: number;
  boxedAt30: number;
}

const normalise = (text: string) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase();

/** The scoring of shared/data/scans-dev/README.md: ground-truth words of 4+ letters. */
export function queryWords(scan: DevScan): { word: string; boxes: Box[]; line: boolean }[] {
  const byWord = new Map<string, Box[]>();
  const line = scan.granularity === 'line';
  const source = line
    ? scan.lines.flatMap((l) => l.text.split(/\s+/).map((t) => ({ text: t, bbox: l.bbox })))
    : scan.words;
  for (const w of source) {
    const word = normalise(w.text);
    if (!/^\p{L}{4,}$/u.test(word)) continue;
    byWord.set(word, [...(byWord.get(word) ?? []), w.bbox as Box]);
  }
  return [...byWord.entries()].map(([word, boxes]) => ({ word, boxes, line }));
}

export async function scoreScan(scan: DevScan, search: WordSearch): Promise<ScanScore> {
  const score: ScanScore = { name: scan.name, dataset: scan.dataset, queried: 0, found: 0, boxedAt50: 0, boxedAt30: 0 };
  for (const { word, boxes, line } of queryWords(scan)) {
    score.queried++;
    const highlights = await search(word);
    if (!highlights) continue;
    score.found++;
    const returned = highlights.map((h) => polygonToBox(h.polygon, scan.width, scan.height));
    const best = Math.max(
      0,
      ...returned.flatMap((r) => boxes.map((gt) => (line ? (containment(r, gt) >= 0.5 ? 1 : 0) : iou(r, gt)))),
    );
    if (best >= 0.5) score.boxedAt50++;
    if (best >= 0.3) score.boxedAt30++;
  }
  return score;
}

export interface DatasetTotals {
  queried: number;
  recall: number;
  iouAt50: number;
  iouAt30: number;
}

export function totals(scores: ScanScore[]): DatasetTotals {
  const q = scores.reduce((s, x) => s + x.queried, 0);
  const sum = (k: keyof ScanScore) => scores.reduce((s, x) => s + (x[k] as number), 0);
  const r = (n: number) => (q ? Math.round((n / q) * 1000) / 1000 : 0);
  return { queried: q, recall: r(sum('found')), iouAt50: r(sum('boxedAt50')), iouAt30: r(sum('boxedAt30')) };
}
