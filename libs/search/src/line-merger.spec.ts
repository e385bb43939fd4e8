import { boundingPolygon, LocatedWord, mergeByLine } from './line-merger';

const content = 'the quick brown fox\njumps over';
function word(text: string, line: number, x: number): LocatedWord {
  const charStart = content.indexOf(text);
  return {
    content: text,
    line,
    charStart,
    charEnd: charStart + text.length,
    match: text === 'brown' ? 'typo' : 'exact',
    polygon: [
      [x, line * 0.1],
      [x + 0.1, line * 0.1],
      [x + 0.1, line * 0.1 + 0.05],
      [x, line * 0.1 + 0.05],
    ],
  };
}

describe('mergeByLine', () => {
  it('merges consecutive words of a line into one region and keeps the words', () => {
    const regions = mergeByLine([word('quick', 0, 0.2), word('brown', 0, 0.35), word('jumps', 1, 0)], content);
    expect(regions.map((r) => r.content)).toEqual(['quick brown', 'jumps']);
    const expected = [
      [0.2, 0],
      [0.45, 0],
      [0.45, 0.05],
      [0.2, 0.05],
    ];
    regions[0].polygon.forEach((point, i) => {
      expect(point[0]).toBeCloseTo(expected[i][0], 9);
      expect(point[1]).toBeCloseTo(expected[i][1], 9);
    });
    expect(regions[0].words.map((w) => [w.content, w.match])).toEqual([
      ['quick', 'exact'],
      ['brown', 'typo'],
    ]);
    expect(regions.map((r) => r.match)).toEqual(['typo', 'exact']);
  });

  it('does not merge words with another word between them, nor across lines', () => {
    const regions = mergeByLine(
      [word('the', 0, 0), word('brown', 0, 0.35), word('fox', 0, 0.5), word('jumps', 1, 0)],
      content,
    );
    expect(regions.map((r) => r.content)).toEqual(['the', 'brown fox', 'jumps']);
  });

  it('returns nothing for no words', () => {
    expect(mergeByLine([], content)).toEqual([]);
  });
});

describe('boundingPolygon', () => {
  it('is clockwise from the top-left', () => {
    expect(
      boundingPolygon([
        [
          [0.5, 0.2],
          [0.6, 0.25],
          [0.55, 0.3],
        ],
      ]),
    ).toEqual([
      [0.5, 0.2],
      [0.6, 0.2],
      [0.6, 0.3],
      [0.5, 0.3],
    ]);
  });
});
