import { DevScan, loadDevScans, loadTestPages } from '../dev-scans';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface FakeWord {
  content: string;
  polygon: [number, number][];
}

export interface FakePage {
  words: FakeWord[];
  content: string;
}

const round = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;

/** A pixel box as Mindee's polygon: relative [x, y] points, clockwise from the top-left. */
export function boxToPolygon(box: [number, number, number, number], width: number, height: number): [number, number][] {
  const [x0, y0, x1, y1] = box;
  return [
    [round(x0 / width), round(y0 / height)],
    [round(x1 / width), round(y0 / height)],
    [round(x1 / width), round(y1 / height)],
    [round(x0 / width), round(y1 / height)],
  ];
}

/**
 * Mindee-shaped OCR of a dev scan from its ground truth: word boxes become relative polygons;
 * line-level pages are split into words with widths in proportion to their lengths.
 */
export function pageFromGroundTruth(scan: DevScan): FakePage {
  const words: FakeWord[] = [];
  for (const w of scan.words) {
    if (w.text.trim()) words.push({ content: w.text.trim(), polygon: boxToPolygon(w.bbox, scan.width, scan.height) });
  }
  if (scan.words.length === 0) {
    for (const line of scan.lines) {
      const parts = line.text.split(/\s+/).filter(Boolean);
      const chars = parts.reduce((n, p) => n + p.length, 0) + Math.max(0, parts.length - 1);
      const [x0, y0, x1, y1] = line.bbox;
      const perChar = (x1 - x0) / Math.max(1, chars);
      let x = x0;
      for (const part of parts) {
        const w = part.length * perChar;
        words.push({ content: part, polygon: boxToPolygon([x, y0, x + w, y1], scan.width, scan.height) });
        x += w + perChar;
      }
    }
  }
  return { words, content: words.map((w) => w.content).join(' ') };
}

/** The test pages and dev scans by the SHA-256 of their bytes, so that the fake answers for the file it was sent. */
export function devScanPagesBySha(): Map<string, { scan: DevScan; page: FakePage }> {
  const map = new Map<string, { scan: DevScan; page: FakePage }>();
  for (const scan of [...loadTestPages(), ...loadDevScans()]) {
    const sha = createHash('sha256').update(readFileSync(scan.imagePath)).digest('hex');
    map.set(sha, { scan, page: pageFromGroundTruth(scan) });
  }
  return map;
}
