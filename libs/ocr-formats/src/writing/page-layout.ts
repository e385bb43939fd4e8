import type { WritablePage, WritableWord } from './writable-page';

/** A box in integer pixels, x1/y1 exclusive edges. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedWord {
  word: WritableWord;
  /** Index in the page's reading order. */
  index: number;
  box: PixelBox;
  /** The word's polygon in integer pixels, in its own point order. */
  points: [number, number][];
  /** True when the polygon is its own axis-aligned box (most OCR engines' words). */
  axisAligned: boolean;
}

export interface PlacedLine {
  box: PixelBox;
  words: PlacedWord[];
}

export interface PlacedBlock {
  box: PixelBox;
  lines: PlacedLine[];
}

const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));

function union(boxes: PixelBox[]): PixelBox {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

function place(word: WritableWord, index: number, width: number, height: number): PlacedWord {
  const points = word.polygon.map(([x, y]) => [
    clamp(Math.round(x * width), width),
    clamp(Math.round(y * height), height),
  ]);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const box = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
  // A zero-sized box says nothing a reader can use: one pixel at least, inside the page.
  if (box.x1 <= box.x0) box.x1 = Math.min(width, box.x0 + 1);
  if (box.x1 <= box.x0) box.x0 = box.x1 - 1;
  if (box.y1 <= box.y0) box.y1 = Math.min(height, box.y0 + 1);
  if (box.y1 <= box.y0) box.y0 = box.y1 - 1;
  const p = word.polygon;
  const eps = 1e-6;
  const axisAligned =
    p.length === 4 &&
    Math.abs(p[0][1] - p[1][1]) < eps &&
    Math.abs(p[1][0] - p[2][0]) < eps &&
    Math.abs(p[2][1] - p[3][1]) < eps &&
    Math.abs(p[3][0] - p[0][0]) < eps;
  return { word, index, box, points: points as [number, number][], axisAligned };
}

const heightOf = (b: PixelBox) => b.y1 - b.y0;
const overlapsHorizontally = (a: PixelBox, b: PixelBox) => Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0);

/**
 * Starts a new block where the next line is not the continuation of the current block below it:
 * a vertical gap of more than a line and a half, a jump upwards (the next column), or no
 * horizontal overlap. Stored words carry lines but no blocks, and ALTO and PAGE need blocks.
 */
function startsNewBlock(block: PlacedBlock, line: PlacedLine): boolean {
  const previous = block.lines[block.lines.length - 1].box;
  const lineHeight = Math.max(heightOf(previous), heightOf(line.box), 1);
  if (line.box.y0 - previous.y1 > 1.5 * lineHeight) return true;
  if (line.box.y0 < previous.y0 - lineHeight / 2) return true;
  return !overlapsHorizontally(block.box, line.box);
}

/** A page's words in integer pixels, grouped into its lines (consecutive words of one line index) and blocks. */
export function layOutPage(page: WritablePage): PlacedBlock[] {
  const lines: PlacedLine[] = [];
  let previousLine: number | null = null;
  page.words.forEach((word, index) => {
    const placed = place(word, index, page.width, page.height);
    if (previousLine === word.line && lines.length > 0) lines[lines.length - 1].words.push(placed);
    else lines.push({ box: placed.box, words: [placed] });
    previousLine = word.line;
  });
  for (const line of lines) line.box = union(line.words.map((w) => w.box));
  const blocks: PlacedBlock[] = [];
  for (const line of lines) {
    const current = blocks[blocks.length - 1];
    if (!current || startsNewBlock(current, line)) blocks.push({ box: line.box, lines: [line] });
    else {
      current.lines.push(line);
      current.box = union([current.box, line.box]);
    }
  }
  return blocks;
}

/** A box's four corners clockwise from the top-left, as PAGE and polygons want them. */
export function boxCorners(b: PixelBox): [number, number][] {
  return [
    [b.x0, b.y0],
    [b.x1, b.y0],
    [b.x1, b.y1],
    [b.x0, b.y1],
  ];
}
