import { buildEngineQuery } from './meilisearch-query.builder';

describe('buildEngineQuery', () => {
  it('sends the query unchanged with the defaults', () => {
    expect(buildEngineQuery('Tobacco  company')).toBe('Tobacco  company');
    expect(buildEngineQuery('filed', { typos: 'auto', prefix: true })).toBe('filed');
    expect(buildEngineQuery('filed', { typos: 1 })).toBe('filed');
  });

  it('typos=0 without prefixes quotes every word, phrases kept whole', () => {
    expect(buildEngineQuery('filed "quick fox" report', { typos: 0, prefix: false })).toBe(
      '"filed" "quick fox" "report" ',
    );
  });

  it('typos=0 alone means no prefixes either', () => {
    expect(buildEngineQuery('filed report', { typos: 0 })).toBe('"filed" "report" ');
  });

  it('typos=0 with prefixes leaves the last word bare for the engine to extend', () => {
    expect(buildEngineQuery('filed report', { typos: 0, prefix: true })).toBe('"filed" report');
    expect(buildEngineQuery('filed report ', { typos: 0, prefix: true })).toBe('"filed" "report"');
    expect(buildEngineQuery('filed "quick fox"', { typos: 0, prefix: true })).toBe('"filed" "quick fox"');
  });

  it('prefix=false ends the query with a space', () => {
    expect(buildEngineQuery('tobac', { prefix: false })).toBe('tobac ');
  });
});

describe('buildEngineQuery with words printed with inner punctuation', () => {
  it('sends such a word as the phrase of its parts, with any options', () => {
    expect(buildEngineQuery('1,275')).toBe('"1 275"');
    expect(buildEngineQuery('price 1,275 U.S.A.')).toBe('price "1 275" "u s a"');
    expect(buildEngineQuery("O'Brien co-operate", { typos: 0 })).toBe('"o brien" "co operate" ');
    expect(buildEngineQuery('12/03/1887 report', { typos: 0, prefix: true })).toBe('"12 03 1887" report');
  });
});
