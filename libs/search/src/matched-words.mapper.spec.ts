import { mapMatchesToWords, WordSpan } from './matched-words.mapper';

function wordsOf(content: string): WordSpan[] {
  return [...content.matchAll(/\S+/g)].map((m) => ({
    charStart: m.index!,
    charEnd: m.index! + m[0].length,
  }));
}

describe('mapMatchesToWords', () => {
  const content = 'The quick brown fox jumps over the lazy dog';
  const words = wordsOf(content);
  const at = (needle: string, from = 0) => ({
    start: content.indexOf(needle, from),
    length: needle.length,
  });

  it('returns the words a match covers, in reading order, deduplicated', () => {
    expect(mapMatchesToWords(words, [at('lazy'), at('quick'), at('quick')])).toEqual([1, 7]);
  });

  it('includes every word a multi-word match spans, and words partly matched (prefix/typo)', () => {
    expect(mapMatchesToWords(words, [at('brown fox')])).toEqual([2, 3]);
    expect(mapMatchesToWords(words, [at('jum')])).toEqual([4]);
    expect(mapMatchesToWords(words, [at('ck bro')])).toEqual([1, 2]);
  });

  it('does not mark a neighbour the match only touches', () => {
    expect(mapMatchesToWords(words, [{ start: 3, length: 1 }])).toEqual([]); // the space
    expect(mapMatchesToWords(words, [at('The')])).toEqual([0]);
  });

  it('handles the first and the last word', () => {
    expect(mapMatchesToWords(words, [at('dog'), at('The')])).toEqual([0, 8]);
  });

  it('treats an empty match as pointing into a word', () => {
    expect(mapMatchesToWords(words, [{ start: content.indexOf('fox') + 1, length: 0 }])).toEqual([3]);
  });

  it('keeps the caller order of words even when offsets are not monotonic', () => {
    const shuffled: WordSpan[] = [words[5], words[0], words[5]];
    expect(mapMatchesToWords(shuffled, [at('over')])).toEqual([0, 2]);
  });

  it('works with UTF-16 offsets of astral and CJK text', () => {
    const text = '😀😀 東京 検索';
    const ws: WordSpan[] = [
      { charStart: 0, charEnd: 4 },
      { charStart: 5, charEnd: 7 },
      { charStart: 8, charEnd: 10 },
    ];
    expect(mapMatchesToWords(ws, [{ start: text.indexOf('検索'), length: 2 }])).toEqual([2]);
  });

  it('returns nothing without words or matches', () => {
    expect(mapMatchesToWords([], [at('fox')])).toEqual([]);
    expect(mapMatchesToWords(words, [])).toEqual([]);
  });
});
