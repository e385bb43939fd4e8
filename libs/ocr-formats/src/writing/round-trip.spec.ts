import type { OcrPage } from '@recto/ocr';
import { iou, polygonToBox } from '@recto/testing';
import { AltoWriter } from '../alto/alto.writer';
import { HocrWriter } from '../hocr/hocr.writer';
import { parseOcrFile } from '../ocr-file.parser';
import { PageXmlWriter } from '../page/page-xml.writer';
import { samplePage, SAMPLE_META } from './sample-pages.fixture';
import type { WritablePage, WritableWord } from './writable-page';

/**
 * Export → import: each XML a writer makes, read back by the parser of its format (detected from
 * the content, as an upload is), gives the words it was made from — same text, same lines, same
 * order, confidences to the 0.01 Recto stores, and the same polygons within the half pixel that writing
 * whole pixels costs. A turned word's polygon comes back as its minimum rotated rectangle.
 */

/** Two columns whose lines interleave vertically: reading order is not top-to-bottom order. */
function twoColumnPage(number: number): WritablePage {
  const [w, h] = [1200, 1600];
  const box = (content: string, line: number, x0: number, y0: number, x1: number, y1: number): WritableWord => ({
    content,
    line,
    confidence: 0.83,
    polygon: [
      [x0 / w, y0 / h],
      [x1 / w, y0 / h],
      [x1 / w, y1 / h],
      [x0 / w, y1 / h],
    ],
  });
  const words = [
    box('Linke', 0, 100, 200, 240, 240),
    box('Spalte', 0, 260, 200, 420, 240),
    box('zweite', 1, 100, 250, 250, 290),
    box('Zeile', 1, 270, 250, 400, 290),
    box('dritte', 2, 100, 300, 260, 340),
    box('Rechte', 3, 700, 200, 860, 240),
    box('Spalte', 3, 880, 200, 1040, 240),
    box('unten', 4, 700, 250, 840, 290),
  ];
  return { number, width: w, height: h, words };
}

const writers: { format: string; write: (pages: WritablePage[]) => string[] }[] = [
  {
    format: 'alto',
    write: (pages) => {
      const writer = new AltoWriter(SAMPLE_META);
      return [writer.begin() + pages.map((p) => writer.page(p)).join('') + writer.end()];
    },
  },
  {
    format: 'hocr',
    write: (pages) => {
      const writer = new HocrWriter(SAMPLE_META, pages.length);
      return [writer.begin() + pages.map((p) => writer.page(p)).join('') + writer.end()];
    },
  },
  {
    // PAGE holds one page a file: a document is a file per page.
    format: 'page',
    write: (pages) => pages.map((p) => new PageXmlWriter(SAMPLE_META).write(p)),
  },
];

/** Line numbers renumbered by first appearance: equal when the words are grouped into the same lines. */
const lineGroups = (words: { line: number }[]) => {
  const seen = new Map<number, number>();
  return words.map((w) => seen.get(w.line) ?? seen.set(w.line, seen.size).get(w.line)!);
};

const isBox = (polygon: [number, number][]) =>
  polygon[0][1] === polygon[1][1] && polygon[1][0] === polygon[2][0] && polygon[2][1] === polygon[3][1];

function expectSameWords(parsed: OcrPage, original: WritablePage) {
  expect([parsed.width, parsed.height]).toEqual([original.width, original.height]);
  expect(parsed.words.map((w) => w.content)).toEqual(original.words.map((w) => w.content));
  expect(lineGroups(parsed.words)).toEqual(lineGroups(original.words));
  // Stored confidences are 0.01 steps; hOCR's x_wconf is a whole percent.
  parsed.words.forEach((word, i) => {
    const before = original.words[i].confidence;
    if (before === null) expect(word.confidence).toBeNull();
    else expect(word.confidence).toBeCloseTo(before, 2);
  });
  parsed.words.forEach((word, i) => {
    const before = original.words[i].polygon as [number, number][];
    const after = word.polygon as [number, number][];
    if (isBox(before)) {
      after.forEach(([x, y], k) => {
        expect(Math.abs(x - before[k][0]) * original.width).toBeLessThanOrEqual(0.5 + 1e-3);
        expect(Math.abs(y - before[k][1]) * original.height).toBeLessThanOrEqual(0.5 + 1e-3);
      });
    } else {
      const [w, h] = [original.width, original.height];
      expect(iou(polygonToBox(after, w, h), polygonToBox(before, w, h))).toBeGreaterThan(0.9);
    }
  });
}

describe.each(writers)('$format export → import', ({ format, write }) => {
  it('gives back the words, lines, confidences and polygons of every page', () => {
    const pages = [samplePage(1), samplePage(2)];
    const files = write(pages).map((xml) => parseOcrFile(Buffer.from(xml)));
    expect(files.map((f) => f.format)).toEqual(files.map(() => format));
    const parsed = files.flatMap((f) => f.pages);
    expect(parsed).toHaveLength(2);
    parsed.forEach((page, i) => expectSameWords(page, pages[i]));
  });

  it('keeps the reading order of two columns whose lines interleave', () => {
    const page = twoColumnPage(1);
    const [parsed] = parseOcrFile(Buffer.from(write([page])[0])).pages;
    expectSameWords(parsed, page);
  });

  it('keeps a turned word turned', () => {
    const page = samplePage(1);
    const [parsed] = parseOcrFile(Buffer.from(write([page])[0])).pages;
    const turned = parsed.words[parsed.words.length - 1].polygon;
    // Top edge rising to the right, as written: not flattened into an axis-aligned box.
    expect(turned[1][1]).toBeLessThan(turned[0][1]);
  });
});
