import type { Point } from '../../ocr-result';
import { groupIntoLines } from './line-grouping';

const box = (x: number, y: number, w = 0.05, h = 0.02): Point[] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
];
const word = (content: string, x: number, y: number, h?: number) => ({ content, polygon: box(x, y, 0.05, h) });

describe('groupIntoLines', () => {
  it('rebuilds lines from geometry and reads them top to bottom, left to right', () => {
    const words = [
      word('world', 0.2, 0.101),
      word('second', 0.1, 0.2),
      word('hello', 0.1, 0.1),
      word('line', 0.2, 0.198),
    ];
    const lined = groupIntoLines(words);
    expect(lined.map((l) => [l.word.content, l.line])).toEqual([
      ['hello', 0],
      ['world', 0],
      ['second', 1],
      ['line', 1],
    ]);
  });

  it('keeps a slightly skewed line together but separates lines that only touch', () => {
    const lined = groupIntoLines([
      word('a', 0.1, 0.1),
      word('b', 0.2, 0.106),
      word('c', 0.3, 0.112),
      word('under', 0.1, 0.119),
    ]);
    expect(lined.map((l) => l.line)).toEqual([0, 0, 0, 1]);
  });

  it('lets a tall word join the line it sits on without swallowing the next one', () => {
    const lined = groupIntoLines([word('Big', 0.1, 0.1, 0.05), word('small', 0.2, 0.125), word('next', 0.1, 0.16)]);
    expect(lined.map((l) => [l.word.content, l.line])).toEqual([
      ['Big', 0],
      ['small', 0],
      ['next', 1],
    ]);
  });

  it('handles empty pages', () => {
    expect(groupIntoLines([])).toEqual([]);
  });
});
