import { foldForSearch, toOriginalRange } from './search-folding';

describe('foldForSearch', () => {
  it('folds long s, r rotunda and ligatures, keeping a map to the printed text', () => {
    const printed = 'Die Geſellſchaft ﬁndet uꝛſprünglich';
    const { folded, toOriginal } = foldForSearch(printed);
    expect(folded).toBe('Die Gesellschaft findet ursprünglich');
    expect(toOriginal).toHaveLength(folded.length + 1);
    const at = folded.indexOf('Gesellschaft');
    const range = toOriginalRange({ folded, toOriginal }, at, at + 'Gesellschaft'.length);
    expect(printed.slice(range.start, range.end)).toBe('Geſellſchaft');
    const fi = folded.indexOf('findet');
    const r2 = toOriginalRange({ folded, toOriginal }, fi, fi + 'findet'.length);
    expect(printed.slice(r2.start, r2.end)).toBe('ﬁndet');
  });

  it('turns the superscript e into an umlaut and composes combining marks', () => {
    const printed = 'Maͤnner und Koͤnige, Cafe\u0301, Mu\u0308ller';
    const { folded, toOriginal } = foldForSearch(printed);
    expect(folded).toBe('Männer und Könige, Café, Müller');
    const at = folded.indexOf('Könige');
    const range = toOriginalRange({ folded, toOriginal }, at, at + 'Könige'.length);
    expect(printed.slice(range.start, range.end)).toBe('Koͤnige');
  });

  it('leaves modern text, emoji and other scripts alone', () => {
    const printed = 'société 😀 東京 مرحبا Straße';
    const { folded, toOriginal } = foldForSearch(printed);
    expect(folded).toBe(printed);
    expect(toOriginal.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(toOriginal[toOriginal.length - 1]).toBe(printed.length);
  });

  it('maps a match that ends inside an expanded ligature to the whole printed ligature', () => {
    const printed = 'Auﬂage';
    const map = foldForSearch(printed);
    expect(map.folded).toBe('Auflage');
    const r = toOriginalRange(map, 0, 3); // "Auf"
    expect(printed.slice(r.start, r.end)).toBe('Auﬂ');
  });
});

describe('symbols glued to words', () => {
  it('are spaces for the index, mapped back to the printed text', () => {
    const printed = 'Circa 1950, $1,275, «>l T<lffadel>l>velse £3 a | b';
    const map = foldForSearch(printed);
    expect(map.folded).toBe('Circa 1950,  1,275, « l T lffadel l velse  3 a | b');
    const at = map.folded.indexOf('1,275');
    const r = toOriginalRange(map, at, at + 5);
    expect(printed.slice(r.start, r.end)).toBe('1,275');
  });
});
