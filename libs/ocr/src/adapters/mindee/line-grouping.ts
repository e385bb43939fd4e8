import type { Point } from '../../ocr-result';

export interface PlacedWord {
  content: string;
  polygon: Point[];
}

export interface LinedWord<W extends PlacedWord> {
  word: W;
  line: number;
}

interface Box {
  left: number;
  top: number;
  bottom: number;
}

interface Line {
  top: number;
  bottom: number;
  members: { word: PlacedWord; box: Box; index: number }[];
}

/** Share of the shorter height two vertical spans must share to be on one line. */
const SAME_LINE_OVERLAP = 0.5;

/**
 * Mindee's words come without lines: rebuild them from geometry. A word joins the line whose
 * vertical span it overlaps most (by at least half the shorter height); lines are then read top
 * to bottom and words left to right. Returns the words in that reading order with line indices.
 */
export function groupIntoLines<W extends PlacedWord>(words: W[]): LinedWord<W>[] {
  const placed = words
    .map((word, index) => ({ word, box: boxOf(word.polygon), index }))
    .sort((a, b) => a.box.top + a.box.bottom - (b.box.top + b.box.bottom) || a.box.left - b.box.left);
  const lines: Line[] = [];
  for (const item of placed) {
    let best: Line | null = null;
    let bestOverlap = 0;
    for (const line of lines) {
      const overlap = Math.min(line.bottom, item.box.bottom) - Math.max(line.top, item.box.top);
      const shorter = Math.min(line.bottom - line.top, item.box.bottom - item.box.top);
      const ratio = shorter > 0 ? overlap / shorter : overlap >= 0 ? 1 : 0;
      if (ratio >= SAME_LINE_OVERLAP && ratio > bestOverlap) {
        best = line;
        bestOverlap = ratio;
      }
    }
    if (best) {
      best.members.push(item);
      // The band follows its words' median extent, so one tall word does not swallow the next line.
      best.top = median(best.members.map((m) => m.box.top));
      best.bottom = median(best.members.map((m) => m.box.bottom));
    } else {
      lines.push({ top: item.box.top, bottom: item.box.bottom, members: [item] });
    }
  }
  lines.sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  const out: LinedWord<W>[] = [];
  lines.forEach((line, lineIndex) => {
    line.members
      .sort((a, b) => a.box.left - b.box.left || a.index - b.index)
      .forEach((m) => out.push({ word: m.word as W, line: lineIndex }));
  });
  return out;
}

function boxOf(polygon: Point[]): Box {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  return { left: Math.min(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
