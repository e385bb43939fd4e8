import { tesseractWords } from './tesseract-words';

const word = (text: string, x0: number, y0: number, x1: number, y1: number, confidence = 90) => ({
  text,
  confidence,
  bbox: { x0, y0, x1, y1 },
});

describe('tesseractWords', () => {
  it('walks blocks, paragraphs and lines in order, numbering lines across the page', () => {
    const words = tesseractWords(
      [
        {
          paragraphs: [
            { lines: [{ words: [word('Hello', 0, 0, 50, 10), word('world', 60, 0, 120, 10)] }] },
            {
              lines: [{ words: [word(' ', 0, 20, 5, 30)] }, { words: [word('Next', 0, 40, 40, 50, 45)] }],
            },
          ],
        },
        { paragraphs: [{ lines: [{ words: [word('Last', 0, 60, 40, 70)] }] }] },
      ],
      200,
      100,
    );
    expect(words.map((w) => [w.content, w.line])).toEqual([
      ['Hello', 0],
      ['world', 0],
      ['Next', 1],
      ['Last', 2],
    ]);
    expect(words[2].confidence).toBeCloseTo(0.45);
    expect(words[1].polygon).toEqual([
      [0.3, 0],
      [0.6, 0],
      [0.6, 0.1],
      [0.3, 0.1],
    ]);
  });

  it('tolerates missing output', () => {
    expect(tesseractWords(null, 10, 10)).toEqual([]);
  });
});
