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
