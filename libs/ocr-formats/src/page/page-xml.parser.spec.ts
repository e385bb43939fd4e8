import { ocrFixture } from '@recto/testing';
import { minimumRotatedRectangle } from '../geometry/relative-quad';
import { parseOcrFile } from '../ocr-file.parser';

describe('PAGE XML', () => {
  it('2019-07-15: ReadingOrder first, TextEquiv by index, conf, line-level text cut along its line', () => {
    const file = parseOcrFile(ocrFixture('page-2019.xml'));
    expect(file.format).toBe('page');
    const [page] = file.pages;
    expect(page).toMatchObject({ width: 2000, height: 3000, unit: 'pixel', imageName: 'letter_0003.png' });
    expect(page.words.map((w) => [w.content, w.line])).toEqual([
      ['Weimar', 0],
      ['Letters', 0],
      ['Dearest', 1],
      ['brother,', 1],
      ['corre¬', 1],
      ['spondence', 2],
      ['from', 2],
      ['Leipzig', 2],
    ]);
    expect(page.words[4].confidence).toBe(0.77);
    expect(page.words[0].confidence).toBe(0.88);
    // "Weimar" is the first 6 of the line's 14 characters.
    expect(page.words[0].polygon[0]).toEqual([0.3, 0.1]);
    expect(page.words[0].polygon[1][0]).toBeCloseTo((600 + (800 * 6) / 14) / 2000, 5);
  });

  it('a word polygon of 6 points becomes its minimum rotated rectangle, clockwise from the top-left', () => {
    const [page] = parseOcrFile(ocrFixture('page-2019.xml')).pages;
    const polygon = page.words.find((w) => w.content === 'brother,')!.polygon;
    expect(polygon).toHaveLength(4);
    const points: [number, number][] = [
      [520, 812],
      [700, 800],
      [880, 806],
      [884, 870],
      [700, 884],
      [524, 880],
    ];
    // Every original point lies inside (or on) the rectangle.
    const px = polygon.map(([x, y]) => [x * 2000, y * 3000]);
    const xs = px.map((p) => p[0]);
    const ys = px.map((p) => p[1]);
    for (const [x, y] of points) {
      expect(x).toBeGreaterThanOrEqual(Math.min(...xs) - 1);
      expect(x).toBeLessThanOrEqual(Math.max(...xs) + 1);
      expect(y).toBeGreaterThanOrEqual(Math.min(...ys) - 1);
      expect(y).toBeLessThanOrEqual(Math.max(...ys) + 1);
    }
    // Clockwise on screen (y down): positive shoelace sum; starts at the top-left corner.
    const area = px.reduce((s, p, i) => s + p[0] * px[(i + 1) % 4][1] - px[(i + 1) % 4][0] * p[1], 0);
    expect(area).toBeGreaterThan(0);
    expect(px[0][0] + px[0][1]).toBe(Math.min(...px.map((p) => p[0] + p[1])));
  });

  it('2013-07-15: skewed word polygons are kept rotated, not boxed', () => {
    const [page] = parseOcrFile(ocrFixture('page-2013.xml')).pages;
    expect(page.words.map((w) => w.content)).toEqual(['Taufregister', '1848', 'Pfarrei', 'Sankt-Georg']);
    expect(page.words[2].confidence).toBeNull();
    const [tl, tr] = page.words[0].polygon.map(([x, y]) => [x * 1600, y * 2400]);
    // The word rises 10 px over 320: the rectangle's top edge follows it.
    expect((tr[1] - tl[1]) / (tr[0] - tl[0])).toBeCloseTo(-10 / 320, 2);
  });

  it('minimumRotatedRectangle of an axis-aligned box is that box', () => {
    expect(
      minimumRotatedRectangle([
        [0, 0],
        [10, 0],
        [10, 5],
        [0, 5],
      ]),
    ).toEqual([
      [0, 0],
      [10, 0],
      [10, 5],
      [0, 5],
    ]);
  });
});
