import { tesseractWords } from './tesseract-words';
import { tsvBlocks } from './tesseract-tsv';

// Rows as tesseract 5.3 prints them (`-c tessedit_create_tsv=1`), trimmed to two blocks.
const TSV = [
  'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
  '1\t1\t0\t0\t0\t0\t0\t0\t200\t100\t-1\t',
  '2\t1\t1\t0\t0\t0\t0\t0\t120\t30\t-1\t',
  '3\t1\t1\t1\t0\t0\t0\t0\t120\t30\t-1\t',
  '4\t1\t1\t1\t1\t0\t0\t0\t120\t10\t-1\t',
  '5\t1\t1\t1\t1\t1\t0\t0\t50\t10\t96.437408\tHello',
  '5\t1\t1\t1\t1\t2\t60\t0\t60\t10\t95.99\tworld',
  '4\t1\t1\t1\t2\t0\t0\t20\t40\t10\t-1\t',
  '5\t1\t1\t1\t2\t1\t0\t20\t5\t10\t95\t ',
  '5\t1\t1\t1\t2\t2\t0\t20\t40\t10\t45.5\tNext',
  '2\t1\t2\t0\t0\t0\t0\t60\t40\t10\t-1\t',
  '3\t1\t2\t1\t0\t0\t0\t60\t40\t10\t-1\t',
  '4\t1\t2\t1\t1\t0\t0\t60\t40\t10\t-1\t',
  '5\t1\t2\t1\t1\t1\t0\t60\t40\t10\t88\tLast',
  '',
].join('\n');

describe('tsvBlocks', () => {
  it('groups word rows into blocks, paragraphs and lines as tesseract.js reports them', () => {
    const blocks = tsvBlocks(TSV);
    expect(blocks).toHaveLength(2);
    expect(blocks[0].paragraphs![0].lines!.map((l) => l.words!.map((w) => w.text))).toEqual([
      ['Hello', 'world'],
      [' ', 'Next'],
    ]);
    expect(blocks[0].paragraphs![0].lines![0].words![1].bbox).toEqual({ x0: 60, y0: 0, x1: 120, y1: 10 });
  });

  it('gives tesseractWords the same words, lines, boxes and whole-percent confidences', () => {
    const words = tesseractWords(tsvBlocks(TSV), 200, 100);
    expect(words.map((w) => [w.content, w.line, w.confidence])).toEqual([
      ['Hello', 0, 0.96],
      ['world', 0, 0.95],
      ['Next', 1, 0.45],
      ['Last', 2, 0.88],
    ]);
    expect(words[1].polygon).toEqual([
      [0.3, 0],
      [0.6, 0],
      [0.6, 0.1],
      [0.3, 0.1],
    ]);
  });

  it('reads nothing from empty or plain-text output', () => {
    expect(tsvBlocks('')).toEqual([]);
    expect(tsvBlocks('just some text\nwithout tabs\n')).toEqual([]);
  });
});
