import type { Polygon } from '@recto/database';
import { loosestKind } from './match-kind.classifier';
import type { MatchKind } from './query-terms.parser';

export interface LocatedWord {
  content: string;
  polygon: Polygon;
  line: number;
  charStart: number;
  charEnd: number;
  match: MatchKind;
}

export interface MergedRegion extends LocatedWord {
  words: { content: string; polygon: Polygon; match: MatchKind }[];
}

/** The axis-aligned rectangle around polygons, clockwise from top-left. */
export function boundingPolygon(polygons: Polygon[]): Polygon {
  const xs = polygons.flatMap((p) => p.map((pt) => pt[0]));
  const ys = polygons.flatMap((p) => p.map((pt) => pt[1]));
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

/**
 * Consecutive matched words of one line become one region (a phrase reads as one box), while
 * the words stay available for viewers that draw them one by one. Words in reading order in;
 * regions in reading order out. Words are consecutive when only whitespace separates them.
 */
export function mergeByLine(words: LocatedWord[], content: string): MergedRegion[] {
  const regions: MergedRegion[] = [];
  let run: LocatedWord[] = [];
  const flush = () => {
    if (run.length === 0) return;
    regions.push({
      content: content.slice(run[0].charStart, run[run.length - 1].charEnd),
      polygon: run.length === 1 ? run[0].polygon : boundingPolygon(run.map((w) => w.polygon)),
      line: run[0].line,
      charStart: run[0].charStart,
      charEnd: run[run.length - 1].charEnd,
      // A region is only as exact as its loosest word.
      match: loosestKind(run.map((w) => w.match)),
      words: run.map((w) => ({ content: w.content, polygon: w.polygon, match: w.match })),
    });
    run = [];
  };
  for (const word of words) {
    const previous = run[run.length - 1];
    const adjacent =
      previous && previous.line === word.line && /^\s*$/.test(content.slice(previous.charEnd, word.charStart));
    if (!adjacent) flush();
    run.push(word);
  }
  flush();
  return regions;
}
