import { PageMatcher } from './page-matcher';
import { MatchOptions, parseQuery } from './query-terms.parser';

/** The matched stretches of `content` for query `q`, as `text:kind` (typos after a slash). */
function marks(q: string, content: string, options: MatchOptions = {}): string[] {
  return new PageMatcher(parseQuery(q), options)
    .match(content)
    .matches.map((m) => `${content.slice(m.start, m.start + m.length)}:${m.kind}${m.typos ? `/${m.typos}` : ''}`);
}

describe('PageMatcher', () => {
  it('matches words without case or accents, every occurrence', () => {
    expect(marks('muller ', 'Herr Müller und MULLER, nicht Mullerin')).toEqual(['Müller:exact', 'MULLER:exact']);
  });

  it('takes the last word as a prefix unless a space or quote ends it', () => {
    expect(marks('tobac', 'tobacco and Tobacco-leaf')).toEqual(['tobac:prefix', 'Tobac:prefix']);
    expect(marks('tobac ', 'tobacco')).toEqual([]);
    expect(marks('tobac', 'tobacco', { prefix: false })).toEqual([]);
  });

  it('allows one typo from five letters with the first letter kept, none below five', () => {
    expect(marks('house ', 'horse mouse hose houses hous')).toEqual([
      'horse:typo/1',
      'hose:typo/1',
      'houses:typo/1',
      'hous:typo/1',
    ]);
    expect(marks('cart ', 'care cart')).toEqual(['cart:exact']);
  });

  it('counts a swap of neighbours as one typo', () => {
    expect(marks('letter ', 'lettre')).toEqual(['lettre:typo/1']);
  });

  it('allows two typos from nine letters, a changed first letter within one edit', () => {
    expect(marks('committee ', 'comitee kommittee committe xommittxe')).toEqual([
      'comitee:typo/2',
      'kommittee:typo/1',
      'committe:typo/1',
    ]);
  });

  it('drops what the options exclude but still counts it as a candidate', () => {
    const matcher = new PageMatcher(parseQuery('committee '), { typos: 1 });
    const found = matcher.match('comitee committe');
    expect(found.matches.map((m) => m.typos)).toEqual([1]);
    expect(found.candidates).toBe(2);
    expect(marks('committee ', 'committe', { typos: 0 })).toEqual([]);
  });

  it('matches a quoted phrase and a word with inner punctuation only as exact sequences', () => {
    expect(marks('"old mill"', 'the old mill, an old barn, old mills')).toEqual(['old:phrase', 'mill:phrase']);
    expect(marks('1,275', 'paid 1,275 and 1 275 but 1 2 275')).toEqual([
      '1:exact',
      '275:exact',
      '1:exact',
      '275:exact',
    ]);
  });

  it('finds neighbouring query words written as one (a prefix at the end, a typo fewer), told apart word by word', () => {
    expect(marks('lec ture', 'a lecturer gave the lecture')).toEqual(['lecture:typo/3', 'lecture:typo/3']);
    expect(marks('direc tion ', 'la dirección')).toEqual(['dirección:typo/4']);
    expect(marks('coun try ', 'county')).toEqual([]);
    expect(marks('lec ture', 'lecture', { typos: 0 })).toEqual([]);
  });

  it('gives offsets in the printed text when folding changes it', () => {
    const content = 'Der Weſen und die Weſen';
    const found = new PageMatcher(parseQuery('wesen '), {}).match(content);
    expect(found.matches.map((m) => content.slice(m.start, m.start + m.length))).toEqual(['Weſen', 'Weſen']);
    const ligature = 'ﬂour and ﬂower';
    expect(marks('flour ', ligature)).toEqual(['ﬂour:exact']);
  });

  it('reads no more than the engine does: the first ten query words', () => {
    const q = 'a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 eleven ';
    expect(marks(q, 'a10 eleven')).toEqual(['a10:exact']);
    const long = 'one two three four five six seven eight nine ten eleven';
    expect(marks(`"${long}"`, long)).toHaveLength(11);
  });

  it('reports no candidates on a page where nothing matches', () => {
    expect(new PageMatcher(parseQuery('北京'), {}).match('我住在北京市').candidates).toBe(0);
  });
});
