import type { PageWord, Polygon } from '../entities/word.entity';

/**
 * Coordinates are kept to 1/1,000,000 of the page side (6 decimals; a 300 dpi A4 scan has 2,480
 * px across): every read of a word's polygon — page words, search highlights, IIIF, exports —
 * returns the value rounded to this, so reads are stable whatever was written.
 */
export const COORDINATE_SCALE = 1_000_000;
/** Confidences are kept to 0.01. */
export const CONFIDENCE_SCALE = 100;

const FORMAT_VERSION = 1;

/** Per-word flags. */
const EXPLICIT_CONTENT = 0x01; // content differs from its slice of the page text (e.g. a line-end hyphen)
const GENERAL_POLYGON = 0x02; // not the usual axis-aligned 4-point box: every point stored
const NO_CONFIDENCE = 0x04;
const NEXT_LINE = 0x08; // line = previous + 1 (else the same line, unless EXPLICIT_LINE)
const EXPLICIT_LINE = 0x10; // a zigzag line delta follows

const quantise = (v: number): number => (Number.isFinite(v) ? Math.round(v * COORDINATE_SCALE) : 0);

export const roundCoordinate = (v: number): number => quantise(v) / COORDINATE_SCALE;

/**
 * One page's words as one value: ~13 bytes a word instead of a ~350-byte row. Text is not
 * repeated: a word's content is its slice of the page text unless it differs.
 *
 * Layout (version 1): version byte, varint word count, then per word: flags byte, zigzag varint
 * (charStart − previous charEnd), zigzag varint (charEnd − charStart), [zigzag varint line delta],
 * [confidence byte], geometry, [varint UTF-8 length + content]. Geometry, in units of
 * 1/COORDINATE_SCALE as zigzag varints: a box is x0 − previous x1, y0 − previous y0, x1 − x0,
 * y1 − y0 (a few bytes each: words follow each other along a line); a general polygon is its
 * point count, then each point's x and y as deltas from the point before it (the first from
 * previous x1, previous y0).
 */
export function encodePageWords(words: readonly PageWord[], text: string): Buffer {
  const out = new ByteWriter(16 + words.length * 14);
  out.byte(FORMAT_VERSION);
  out.varint(words.length);
  let previousEnd = 0;
  let previousLine = 0;
  let previousX1 = 0;
  let previousY0 = 0;
  for (const word of words) {
    const points = word.polygon.map(([x, y]) => [quantise(x), quantise(y)] as const);
    const box = isBox(points);
    const lineDelta = word.line - previousLine;
    const explicitContent = text.slice(word.charStart, word.charEnd) !== word.content;
    let flags = 0;
    if (explicitContent) flags |= EXPLICIT_CONTENT;
    if (!box) flags |= GENERAL_POLYGON;
    if (word.confidence === null || !Number.isFinite(word.confidence)) flags |= NO_CONFIDENCE;
    if (lineDelta === 1) flags |= NEXT_LINE;
    else if (lineDelta !== 0) flags |= EXPLICIT_LINE;
    out.byte(flags);
    out.zigzag(word.charStart - previousEnd);
    out.zigzag(word.charEnd - word.charStart);
    if (flags & EXPLICIT_LINE) out.zigzag(lineDelta);
    if (!(flags & NO_CONFIDENCE)) {
      out.byte(Math.min(CONFIDENCE_SCALE, Math.max(0, Math.round(word.confidence! * CONFIDENCE_SCALE))));
    }
    if (box) {
      const [[x0, y0], , [x1, y1]] = points;
      out.zigzag(x0 - previousX1);
      out.zigzag(y0 - previousY0);
      out.zigzag(x1 - x0);
      out.zigzag(y1 - y0);
      previousX1 = x1;
      previousY0 = y0;
    } else {
      out.varint(points.length);
      let [x, y] = [previousX1, previousY0];
      for (const [px, py] of points) {
        out.zigzag(px - x);
        out.zigzag(py - y);
        [x, y] = [px, py];
      }
      previousX1 = x;
      previousY0 = points.length > 0 ? points[0][1] : previousY0;
    }
    if (explicitContent) out.string(word.content);
    previousEnd = word.charEnd;
    previousLine = word.line;
  }
  return out.done();
}

/** Clockwise from top-left, axis-aligned: the shape every OCR engine here produces. */
function isBox(p: readonly (readonly [number, number])[]): boolean {
  return p.length === 4 && p[0][1] === p[1][1] && p[1][0] === p[2][0] && p[2][1] === p[3][1] && p[3][0] === p[0][0];
}

/**
 * The words of a page, in reading order. With `wanted`, given each word's span, only the words it
 * accepts are materialised (a search reads ~4,000 words to show ~80).
 */
export function decodePageWords(
  blob: Uint8Array,
  text: string,
  wanted?: (charStart: number, charEnd: number) => boolean,
): PageWord[] {
  const words: PageWord[] = [];
  scanRecords(blob, (charStart, charEnd, line, flags, at, x, y) => {
    if (wanted === undefined || wanted(charStart, charEnd)) {
      words.push(materialise(blob, { charStart, charEnd, line, flags, at, x, y }, text));
    }
  });
  return words;
}

interface WordRecord {
  charStart: number;
  charEnd: number;
  line: number;
  flags: number;
  /** Where the confidence byte starts (or the geometry, without one). */
  at: number;
  /** The previous word's x1 and y0, which this word's geometry is relative to. */
  x: number;
  y: number;
}

/**
 * Visits every word's record without building one: a record object per word (and the array of
 * them) for the ~200 words of each of 20 hit pages, to keep ~4 a page, was garbage the API's
 * profile showed under search load.
 */
function scanRecords(
  blob: Uint8Array,
  visit: (charStart: number, charEnd: number, line: number, flags: number, at: number, x: number, y: number) => void,
): void {
  const r = new ByteReader(blob);
  const version = r.byte();
  if (version !== FORMAT_VERSION) throw new Error(`unknown page words format ${version}`);
  const count = r.varint();
  let previousEnd = 0;
  let line = 0;
  let x1 = 0;
  let y0 = 0;
  for (let i = 0; i < count; i++) {
    const flags = r.byte();
    const charStart = previousEnd + r.zigzag();
    const charEnd = charStart + r.zigzag();
    if (flags & NEXT_LINE) line += 1;
    else if (flags & EXPLICIT_LINE) line += r.zigzag();
    visit(charStart, charEnd, line, flags, r.offset, x1, y0);
    if (!(flags & NO_CONFIDENCE)) r.skip(1);
    // Only the next word's reference is needed here: the points of the words wanted are read
    // by materialise. Not building the others' point arrays made decoding 20 pages 0.66x the time.
    if (flags & GENERAL_POLYGON) {
      const n = r.varint();
      let y = y0;
      for (let p = 0; p < n; p++) {
        x1 += r.zigzag();
        y += r.zigzag();
        if (p === 0) y0 = y;
      }
    } else {
      const dx0 = r.zigzag();
      y0 += r.zigzag();
      x1 += dx0 + r.zigzag();
      r.varint();
    }
    if (flags & EXPLICIT_CONTENT) r.skip(r.varint());
    previousEnd = charEnd;
  }
}

/** A word's points (integers in 1/COORDINATE_SCALE) and the reference for the next word. */
function readGeometry(r: ByteReader, flags: number, previousX1: number, previousY0: number) {
  if (flags & GENERAL_POLYGON) {
    const n = r.varint();
    const points: [number, number][] = [];
    let [x, y] = [previousX1, previousY0];
    for (let i = 0; i < n; i++) {
      x += r.zigzag();
      y += r.zigzag();
      points.push([x, y]);
    }
    return { points, x1: x, y0: n > 0 ? points[0][1] : previousY0 };
  }
  const x0 = previousX1 + r.zigzag();
  const y0 = previousY0 + r.zigzag();
  const x1 = x0 + r.zigzag();
  const y1 = y0 + r.zigzag();
  const points: [number, number][] = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  return { points, x1, y0 };
}

function materialise(blob: Uint8Array, record: WordRecord, text: string): PageWord {
  const r = new ByteReader(blob, record.at);
  const confidence = record.flags & NO_CONFIDENCE ? null : r.byte() / CONFIDENCE_SCALE;
  const polygon: Polygon = readGeometry(r, record.flags, record.x, record.y).points.map(([x, y]) => [
    x / COORDINATE_SCALE,
    y / COORDINATE_SCALE,
  ]);
  const content = record.flags & EXPLICIT_CONTENT ? r.string(r.varint()) : text.slice(record.charStart, record.charEnd);
  return { content, polygon, confidence, line: record.line, charStart: record.charStart, charEnd: record.charEnd };
}

class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  byte(v: number): void {
    this.room(1);
    this.buffer[this.length++] = v;
  }

  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`not a non-negative integer: ${v}`);
    this.room(8);
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.varint(bytes.length);
    this.room(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  done(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset = 0,
  ) {}

  byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError('page words value is truncated');
    return this.bytes[this.offset++];
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  skip(n: number): void {
    this.offset += n;
  }

  string(n: number): string {
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.offset, n).toString('utf8');
    this.offset += n;
    return s;
  }
}
