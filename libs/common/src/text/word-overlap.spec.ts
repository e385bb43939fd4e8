import { mapMatchesToWords, WordSpan } from './word-overlap';

/**
 * The one rule against its plain definition, on random pages and matches, empty words and empty
 * matches included (where the SQL and TypeScript copies of the rule used to disagree).
 */
describe('mapMatchesToWords', () => {
  let seed = 11;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  it('returns exactly the words overlapping a match, for any words and matches', () => {
    for (let trial = 0; trial < 500; trial++) {
      const words: WordSpan[] = [];
      let at = 0;
      for (let i = 0; i < 1 + random(12); i++) {
        at += random(3);
        const length = random(6); // 0: an empty word
        words.push({ charStart: at, charEnd: at + length });
        at += length;
      }
      const matches = Array.from({ length: random(5) }, () => ({ start: random(at + 3), length: random(8) }));
      const expected = words
        .map((w, i) => ({ w, i }))
        .filter(({ w }) => matches.some((m) => w.charEnd > m.start && w.charStart < m.start + m.length))
        .map(({ i }) => i);
      expect(mapMatchesToWords(words, matches)).toEqual(expected);
    }
  });

  it('marks a word an empty match falls inside, not one it only touches', () => {
    const words = [
      { charStart: 0, charEnd: 3 },
      { charStart: 4, charEnd: 7 },
    ];
    expect(mapMatchesToWords(words, [{ start: 5, length: 0 }])).toEqual([1]);
    expect(mapMatchesToWords(words, [{ start: 4, length: 0 }])).toEqual([]);
    expect(mapMatchesToWords(words, [{ start: 3, length: 0 }])).toEqual([]);
  });
});
