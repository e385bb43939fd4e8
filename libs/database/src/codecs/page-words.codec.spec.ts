import type { PageWord } from '../entities/word.entity';
import { COORDINATE_SCALE, decodePageWords, encodePageWords, roundCoordinate } from './page-words.codec';

const box = (x: number, y: number, w: number, h: number): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
];

/** What a read promises: every stored number at the stated precision, everything else exact. */
const rounded = (w: PageWord): PageWord => ({
  ...w,
  polygon: w.polygon.map(([x, y]) => [roundCoordinate(x), roundCoordinate(y)]),
  confidence: w.confidence === null ? null : Math.round(w.confidence * 100) / 100,
});

describe('page words codec', () => {
  const text = 'Recto reads\nent\u00ADstehen 😀 Müller';
  const words: PageWord[] = [
    { content: 'Recto', polygon: box(0.1, 0.1, 0.05, 0.02), confidence: 0.9634, line: 0, charStart: 0, charEnd: 5 },
    { content: 'reads', polygon: box(0.16, 0.1, 0.05, 0.02), confidence: null, line: 0, charStart: 6, charEnd: 11 },
    // Printed with its line-end hyphen, indexed without it: the content is stored, not sliced.
    { content: 'ent-', polygon: box(0.9, 0.1, 0.04, 0.02), confidence: 0.5, line: 0, charStart: 12, charEnd: 15 },
    {
      content: 'stehen',
      polygon: [
        [0.1, 0.13],
        [0.2, 0.135],
        [0.2, 0.15],
        [0.1, 0.145],
      ],
      confidence: 1,
      line: 1,
      charStart: 16,
      charEnd: 22,
    },
    { content: '😀', polygon: box(0.3, 0.13, 0.01, 0.01), confidence: 0, line: 1, charStart: 23, charEnd: 25 },
    { content: '', polygon: box(0.31, 0.13, 0, 0.01), confidence: 0.2, line: 1, charStart: 25, charEnd: 25 },
    { content: 'Müller', polygon: box(0.4, 0.5, 0.1, 0.02), confidence: 0.77, line: 7, charStart: 26, charEnd: 32 },
    { content: 'back', polygon: box(0.4, 0.5, 0.1, 0.02), confidence: 0.77, line: 3, charStart: 0, charEnd: 5 },
  ];

  it('reads back every word: content, line and offsets exact, numbers at the stated precision', () => {
    expect(decodePageWords(encodePageWords(words, text), text)).toEqual(words.map(rounded));
  });

  it('is stable: what was read, written again, reads the same', () => {
    const once = decodePageWords(encodePageWords(words, text), text);
    expect(decodePageWords(encodePageWords(once, text), text)).toEqual(once);
    expect(encodePageWords(once, text)).toEqual(encodePageWords(words, text));
  });

  it('keeps coordinates to 1/1,000,000 of the page, any finite value, negative or past the edge', () => {
    expect(COORDINATE_SCALE).toBe(1_000_000);
    const odd: PageWord = { ...words[0], polygon: box(0.12345678, -0.2, 7, 0.0000004) };
    const [read] = decodePageWords(encodePageWords([odd], text), text);
    expect(read.polygon).toEqual([
      [0.123457, -0.2],
      [7.123457, -0.2],
      [7.123457, -0.2],
      [0.123457, -0.2],
    ]);
  });

  it('is under 15 bytes a word', () => {
    const many: PageWord[] = Array.from({ length: 250 }, (_, i) => ({
      content: 'x',
      polygon: box((i % 10) / 10, Math.floor(i / 10) / 30, 0.05, 0.02),
      confidence: 0.9,
      line: Math.floor(i / 10),
      charStart: i * 2,
      charEnd: i * 2 + 1,
    }));
    expect(encodePageWords(many, 'x '.repeat(250)).length).toBeLessThanOrEqual(250 * 15);
  });

  it('materialises only the selected words', () => {
    const blob = encodePageWords(words, text);
    const asked: [number, number][] = [];
    const picked = decodePageWords(blob, text, (charStart, charEnd) => {
      asked.push([charStart, charEnd]);
      return asked.length === 2 || asked.length === 7;
    });
    expect(asked).toEqual(words.map((w) => [w.charStart, w.charEnd]));
    expect(picked.map((w) => w.content)).toEqual(['reads', 'Müller']);
  });

  it('reads any one word alone as it reads it among all (after boxes and general polygons alike)', () => {
    const blob = encodePageWords(words, text);
    const all = decodePageWords(blob, text);
    for (let i = 0; i < words.length; i++) {
      let seen = 0;
      expect(decodePageWords(blob, text, () => seen++ === i)).toEqual([all[i]]);
    }
  });

  it('handles a page without words and refuses an unknown format', () => {
    expect(decodePageWords(encodePageWords([], ''), '')).toEqual([]);
    expect(() => decodePageWords(Buffer.from([9, 0]), '')).toThrow(/format 9/);
    expect(() => decodePageWords(encodePageWords(words, text).subarray(0, 10), text)).toThrow(/truncated/);
  });
});
