import type { OcrPage, OcrWord } from '@recto/ocr';
import { assessDocument, assessPage, LOW_CONFIDENCE } from './page-quality.policy';

const words = (confidence: number | null, n = 10): OcrWord[] =>
  Array.from({ length: n }, (_, i) => ({
    content: `w${i}`,
    confidence,
    line: 0,
    polygon: [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ],
  }));
const page = (over: Partial<OcrPage>): OcrPage => ({
  number: 1,
  width: 100,
  height: 100,
  words: words(0.9),
  source: 'ocr',
  ...over,
});

describe('page quality', () => {
  it('is ok for a page the local engine read confidently', () => {
    expect(assessPage(page({}), 'local')).toEqual({ meanConfidence: 0.9, quality: 'ok', reason: null });
  });

  it('is low, saying why and what was tried, under the threshold', () => {
    const assessed = assessPage(
      page({ words: words(0.42), turn: { rotation: 180, deskewDegrees: 2.7 }, upscale: 3 }),
      'local',
    );
    expect(assessed.quality).toBe('low');
    expect(assessed.reason).toBe(
      `mean word confidence 0.42 is under ${LOW_CONFIDENCE} after it was turned 180°, straightened 2.7°, upscaled 3×`,
    );
  });

  it('is not judged for text layers, other providers or near-blank pages', () => {
    expect(assessPage(page({ source: 'text-layer', words: words(null) }), 'local')).toEqual({
      meanConfidence: null,
      quality: null,
      reason: null,
    });
    expect(assessPage(page({ words: words(0.3) }), 'mindee')).toMatchObject({ meanConfidence: 0.3, quality: null });
    expect(assessPage(page({ words: words(0.2, 3) }), 'local')).toMatchObject({ quality: null });
  });

  it('flags a document by its worst pages', () => {
    const ok = { meanConfidence: 0.9, quality: 'ok' as const, reason: null };
    const low = (c: number) => ({ meanConfidence: c, quality: 'low' as const, reason: `mean word confidence ${c}` });
    const none = { meanConfidence: null, quality: null, reason: null };
    expect(assessDocument([{ number: 1, quality: ok }])).toEqual({ quality: 'ok', reason: null });
    expect(assessDocument([{ number: 1, quality: none }])).toEqual({ quality: null, reason: null });
    expect(
      assessDocument([
        { number: 1, quality: ok },
        { number: 2, quality: low(0.4) },
      ]),
    ).toEqual({ quality: 'low', reason: 'page 2: mean word confidence 0.4' });
    expect(
      assessDocument([
        { number: 1, quality: low(0.5) },
        { number: 2, quality: ok },
        { number: 3, quality: low(0.3) },
      ]).reason,
    ).toBe('2 of 3 pages read with low confidence (pages 1, 3); worst, page 3: mean word confidence 0.3');
  });
});
