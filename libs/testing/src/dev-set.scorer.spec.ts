import { DevScan } from './dev-scans';
import { queryWords, scoreOcrPage, scoreScan } from './dev-set.scorer';
import { iou } from './geometry';

const rel = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
  [x0 / 100, y0 / 100],
  [x1 / 100, y0 / 100],
  [x1 / 100, y1 / 100],
  [x0 / 100, y1 / 100],
];

const wordScan: DevScan = {
  name: 'w',
  imagePath: '',
  width: 100,
  height: 100,
  dataset: 'T',
  language: 'en',
  granularity: 'word',
  words: [
    { text: 'Tobacco,', bbox: [10, 10, 30, 20] },
    { text: 'tobacco', bbox: [10, 50, 30, 60] },
    { text: 'Date', bbox: [50, 10, 70, 20] },
    { text: 'of', bbox: [80, 10, 90, 20] },
  ],
  lines: [],
};

const lineScan: DevScan = {
  ...wordScan,
  name: 'l',
  granularity: 'line',
  words: [],
  lines: [
    { text: 'Die Gesell-', bbox: [0, 0, 100, 10] },
    { text: 'schaft tagte', bbox: [0, 10, 100, 20] },
  ],
};

describe('dev-set scorer', () => {
  it('iou of identical, disjoint and half-overlapping boxes', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(1 / 3);
  });

  it('queries each distinct word of 4+ letters once, and a hyphenated word whole', () => {
    expect(queryWords(wordScan).map((q) => [q.word, q.occurrences.length])).toEqual([
      ['tobacco', 2],
      ['date', 1],
    ]);
    expect(queryWords(lineScan).map((q) => q.word)).toEqual(['gesellschaft', 'tagte']);
  });

  it('scores OCR words per occurrence: text anywhere for recall, boxes for IoU', () => {
    const score = scoreOcrPage(wordScan, [
      { content: 'tobacco', polygon: rel(10, 10, 30, 20) },
      { content: 'Date', polygon: rel(60, 10, 80, 20) },
    ]);
    expect(score).toMatchObject({ gtWords: 3, found: 3, iou50Count: 1, iou30Count: 2, inLine: null });
    expect(score.iou50).toBeCloseTo(1 / 3);
  });

  it('scores line-level pages by containment in the line', () => {
    const score = scoreOcrPage(lineScan, [
      { content: 'Gesellschaft', polygon: rel(60, 0, 100, 10) },
      { content: 'tagte', polygon: rel(0, 50, 20, 60) },
    ]);
    expect(score).toMatchObject({ gtWords: 2, found: 2, inLineCount: 1, inLineTotal: 2, iou50: null });
  });

  it('counts a highlight on another word as stray', async () => {
    const score = await scoreScan(wordScan, async (word) =>
      word === 'tobacco'
        ? [
            { content: 'tobacco', polygon: rel(10, 50, 30, 60) },
            { content: 'Date', polygon: rel(50, 10, 70, 20) },
          ]
        : null,
    );
    expect(score).toMatchObject({ queried: 2, found: 1, boxedAt50: 1, highlights: 2, strayHighlights: 1 });
  });
});
