import { buildPageText } from './page-text.builder';

describe('buildPageText', () => {
  it('joins words by spaces and lines by newlines, with exact offsets', () => {
    const { content, offsets } = buildPageText([
      { content: 'Société', line: 0 },
      { content: 'Générale', line: 0 },
      { content: '😀', line: 1 },
      { content: 'Straße', line: 1 },
    ]);
    expect(content).toBe('Société Générale\n😀 Straße');
    for (const [i, w] of ['Société', 'Générale', '😀', 'Straße'].entries()) {
      expect(content.slice(offsets[i][0], offsets[i][1])).toBe(w);
    }
  });

  it('collapses whitespace inside a word so offsets stay on the word', () => {
    const { content, offsets } = buildPageText([{ content: ' a \t b ', line: 3 }]);
    expect(content).toBe('a b');
    expect(offsets).toEqual([[0, 3]]);
  });

  it('handles an empty page', () => {
    expect(buildPageText([])).toEqual({ content: '', offsets: [] });
  });
});

describe('buildPageText with words hyphenated across line ends', () => {
  it('indexes the whole word and keeps each part on its own letters', () => {
    const words = [
      { content: 'ihre', line: 0 },
      { content: 'Blüthen', line: 0 },
      { content: 'ent-', line: 0 },
      { content: 'wickeln', line: 1 },
      { content: 'sich', line: 1 },
    ];
    const { content, offsets } = buildPageText(words);
    expect(content).toBe('ihre Blüthen entwickeln sich');
    expect(content.slice(...offsets[2])).toBe('ent');
    expect(content.slice(...offsets[3])).toBe('wickeln');
  });

  it('keeps a hyphen before a capitalised word or inside a line, and Fraktur ⸗ and ¬ join too', () => {
    expect(
      buildPageText([
        { content: 'Nord-', line: 0 },
        { content: 'Süd', line: 1 },
      ]).content,
    ).toBe('Nord-\nSüd');
    expect(
      buildPageText([
        { content: 'well-', line: 0 },
        { content: 'known', line: 0 },
      ]).content,
    ).toBe('well- known');
    expect(
      buildPageText([
        { content: 'Ge⸗', line: 0 },
        { content: 'ſellſchaft', line: 1 },
        { content: 'Ver¬', line: 1 },
        { content: 'trag', line: 2 },
      ]).content,
    ).toBe('Geſellſchaft Vertrag');
  });
});
