import type { DevScan } from './dev-scans';
import { turnScan } from './dev-scan-variants';

const scan: DevScan = {
  name: 'p',
  imagePath: 'p.png',
  width: 200,
  height: 100,
  dataset: 'test',
  language: 'en',
  granularity: 'word',
  words: [{ text: 'word', bbox: [140, 10, 160, 30] }],
  lines: [],
};

const close = (actual: number[], expected: number[]) => actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));

describe('turnScan', () => {
  it('turns ground-truth boxes with the page', () => {
    const upsideDown = turnScan(scan, [{ rotation: 180, deskewDegrees: 0 }]);
    close(upsideDown.words[0].bbox, [40, 70, 60, 90]);
    const sideways = turnScan(scan, [{ rotation: 90, deskewDegrees: 0 }]);
    expect([sideways.width, sideways.height]).toEqual([100, 200]);
    close(sideways.words[0].bbox, [70, 140, 90, 160]);
  });

  it('gives back the tight box when the engine undoes the scanner’s turn', () => {
    const skewed = turnScan(scan, [{ rotation: 0, deskewDegrees: 6 }]);
    // Boxed while skewed: larger than the word.
    const [x0, y0, x1, y1] = skewed.words[0].bbox;
    expect((x1 - x0) * (y1 - y0)).toBeGreaterThan(20 * 20);
    const straightened = turnScan(scan, [
      { rotation: 0, deskewDegrees: 6 },
      { rotation: 0, deskewDegrees: -6 },
    ]);
    // The canvas grew twice (corners filled), so the word moved by the growth, not in size; by
    // about half of it each side (libvips places each turned canvas by whole pixels).
    const [a0, b0, a1, b1] = straightened.words[0].bbox;
    expect(a1 - a0).toBeCloseTo(20, 6);
    expect(b1 - b0).toBeCloseTo(20, 6);
    expect(Math.abs(a0 - (straightened.width - scan.width) / 2 - 140)).toBeLessThan(1);
    expect(Math.abs(b0 - (straightened.height - scan.height) / 2 - 10)).toBeLessThan(1);
  });
});
