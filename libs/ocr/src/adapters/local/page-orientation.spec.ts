import type { OcrWord } from '../../ocr-result';
import { firstTurn, needsFlipCheck, preferFlipped, readingConfidence } from './page-orientation';

const word = (content: string, confidence: number | null): OcrWord => ({
  content,
  confidence,
  line: 0,
  polygon: [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ],
});
const reading = (confidence: number, n = 20) => Array.from({ length: n }, (_, i) => word(`word${i}`, confidence));

describe('page orientation decisions', () => {
  it('reads sideways lines a quarter turn first and leaves scanner-size tilts alone', () => {
    expect(firstTurn({ degrees: 0.4, horizontal: true, horizontalScore: 5, verticalScore: 2 })).toEqual({
      rotation: 0,
      deskewDegrees: 0,
    });
    expect(firstTurn({ degrees: -2.7, horizontal: true, horizontalScore: 5, verticalScore: 2 })).toEqual({
      rotation: 0,
      deskewDegrees: -2.7,
    });
    expect(firstTurn({ degrees: 6, horizontal: false, horizontalScore: 2, verticalScore: 5 })).toEqual({
      rotation: 90,
      deskewDegrees: 6,
    });
  });

  it('judges a reading by the words that look like words', () => {
    const specks = [word('.', 0.1), word('|', 0.05), word('-', 0.2)];
    expect(readingConfidence([...reading(0.9, 5), ...specks])).toBeCloseTo(0.9);
    expect(readingConfidence(specks)).toBe(0);
    expect(readingConfidence([])).toBe(0);
  });

  it('checks the other way up only when the first reading is doubtful', () => {
    expect(needsFlipCheck(reading(0.85))).toBe(false);
    expect(needsFlipCheck(reading(0.35))).toBe(true);
    expect(needsFlipCheck([])).toBe(true);
  });

  it('turns only for a clearly better reading', () => {
    // Upside down, then upright (dev pages: 0.23–0.41 against 0.69–0.95).
    expect(preferFlipped(reading(0.33), reading(0.86))).toBe(true);
    // A poor page stays as it is unless the other way up is clearly better and itself plausible.
    expect(preferFlipped(reading(0.5), reading(0.58))).toBe(false);
    expect(preferFlipped(reading(0.2), reading(0.4))).toBe(false);
    expect(preferFlipped(reading(0.55), reading(0.33))).toBe(false);
  });
});
