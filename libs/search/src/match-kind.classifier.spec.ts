import { classifyMatches, classifyWord, isAllowed, kindOf, loosestKind } from './match-kind.classifier';
import { editDistance, parseQuery } from './query-terms.parser';

describe('parseQuery', () => {
  it('splits words and quoted phrases, folded and lower-cased', () => {
    expect(parseQuery('Geſellſchaft "Quick Fox" Müller')).toEqual({
      terms: [
        { text: 'gesellschaft', phrase: false, group: 0 },
        { text: 'quick', phrase: true, group: 1 },
        { text: 'fox', phrase: true, group: 1 },
        { text: 'muller', phrase: false, group: 2 },
      ],
      lastIsPrefix: true,
    });
  });

  it('has no prefix after a trailing space or a closing quote', () => {
    expect(parseQuery('tobac ').lastIsPrefix).toBe(false);
    expect(parseQuery('"tobac"').lastIsPrefix).toBe(false);
    expect(parseQuery('tobac').lastIsPrefix).toBe(true);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and a swap as one edit each', () => {
    expect(editDistance('filed', 'failed')).toBe(1);
    expect(editDistance('shipmnets', 'shipments')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('classifyWord', () => {
  it('tells exact, prefix, typo and phrase matches apart', () => {
    expect(classifyWord('filed,', parseQuery('filed'))).toEqual({ kind: 'exact', typos: 0 });
    expect(classifyWord('Filed', parseQuery('filed'))).toEqual({ kind: 'exact', typos: 0 });
    expect(classifyWord('failed', parseQuery('filed'))).toEqual({ kind: 'typo', typos: 1 });
    expect(classifyWord('Frauen', parseQuery('Frau'))).toEqual({ kind: 'prefix', typos: 0 });
    expect(classifyWord('brown', parseQuery('"brown fox"'))).toEqual({ kind: 'phrase', typos: 0 });
  });

  it('treats historical print as the modern word it stands for', () => {
    expect(classifyWord('Geſellſchaft', parseQuery('Gesellschaft')).kind).toBe('exact');
    expect(classifyWord('Geſellſchaften', parseQuery('Gesellschaft')).kind).toBe('prefix');
    expect(classifyWord('ﬂuß', parseQuery('fluß')).kind).toBe('exact');
    expect(classifyWord('Müller', parseQuery('muller')).kind).toBe('exact');
  });

  it('only the last word is a prefix, and not after a trailing space', () => {
    expect(classifyWord('tobacco', parseQuery('tobac company')).kind).toBe('typo');
    expect(classifyWord('company', parseQuery('tobacco comp')).kind).toBe('prefix');
    expect(classifyWord('tobacco', parseQuery('tobac ')).kind).toBe('typo');
  });

  it('counts a typo inside a prefix against the beginning of the word', () => {
    expect(classifyWord('tobacco', parseQuery('tobcc'))).toEqual({ kind: 'typo', typos: 1 });
  });

  it('takes the closest of several query words', () => {
    expect(classifyWord('report', parseQuery('reprot report'))).toEqual({ kind: 'exact', typos: 0 });
  });
});

describe('isAllowed', () => {
  const typo1 = { kind: 'typo' as const, typos: 1 };
  const typo2 = { kind: 'typo' as const, typos: 2 };
  const prefix = { kind: 'prefix' as const, typos: 0 };
  it('keeps typos within the limit and prefixes unless turned off', () => {
    expect(isAllowed(typo1, {})).toBe(true);
    expect(isAllowed(typo2, { typos: 'auto' })).toBe(true);
    expect(isAllowed(typo1, { typos: 0 })).toBe(false);
    expect(isAllowed(typo1, { typos: 1 })).toBe(true);
    expect(isAllowed(typo2, { typos: 1 })).toBe(false);
    expect(isAllowed(prefix, { typos: 0 })).toBe(false);
    expect(isAllowed(prefix, { typos: 0, prefix: true })).toBe(true);
    expect(isAllowed(prefix, { typos: 1 })).toBe(true);
    expect(isAllowed(prefix, { prefix: false })).toBe(false);
    expect(isAllowed({ kind: 'exact', typos: 0 }, { typos: 0, prefix: false })).toBe(true);
  });
});

describe('classifyMatches', () => {
  const content = 'The report was filed, the attempt failed';
  const at = (word: string, length = word.length) => ({ start: content.indexOf(word), length });

  it('classifies each engine match by the whole word it starts in', () => {
    // The engine reports a typo match by the query's length ("faile" of "failed").
    const matches = classifyMatches(content, [at('filed'), at('failed', 5)], parseQuery('filed'), {});
    expect(matches.map((m) => m.kind)).toEqual(['exact', 'typo']);
  });

  it('a phrase reported as one match over its words is a phrase match', () => {
    const text = 'a quick brown fox';
    const [match] = classifyMatches(text, [{ start: 8, length: 9 }], parseQuery('"brown fox"'), {});
    expect(match.kind).toBe('phrase');
  });

  it('drops what typos=0 excludes: filed does not mark failed', () => {
    const matches = classifyMatches(content, [at('filed'), at('failed', 5)], parseQuery('filed'), { typos: 0 });
    expect(matches).toEqual([{ ...at('filed'), kind: 'exact', typos: 0 }]);
  });
});

describe('kindOf and loosestKind', () => {
  const matches = [
    { start: 0, length: 3, kind: 'typo' as const, typos: 1 },
    { start: 4, length: 5, kind: 'exact' as const, typos: 0 },
  ];
  it('gives a word the closest kind of the matches it overlaps, a region its loosest word', () => {
    expect(kindOf(0, 3, matches)).toBe('typo');
    expect(kindOf(0, 9, matches)).toBe('exact');
    expect(loosestKind(['exact', 'prefix', 'phrase'])).toBe('prefix');
    expect(loosestKind(['exact', 'typo'])).toBe('typo');
  });
});

describe('words printed with inner punctuation', () => {
  it('parses 1,275 and co-operate as compound groups, never a prefix', () => {
    expect(parseQuery('1,275 co-operate')).toEqual({
      terms: [
        { text: '1', phrase: false, group: 0, compound: true },
        { text: '275', phrase: false, group: 0, compound: true },
        { text: 'co', phrase: false, group: 1, compound: true },
        { text: 'operate', phrase: false, group: 1, compound: true },
      ],
      lastIsPrefix: false,
    });
    expect(parseQuery('$1,275').terms.map((t) => t.text)).toEqual(['1', '275']);
  });

  it('counts a compound match as exact, and no other word as its prefix or typo', () => {
    expect(classifyWord('275,', parseQuery('1,275'))).toEqual({ kind: 'exact', typos: 0 });
    expect(classifyWord('2750', parseQuery('1,275')).kind).toBe('typo');
    expect(classifyWord('2750', parseQuery('1,275')).typos).toBe(Number.POSITIVE_INFINITY);
  });
});
