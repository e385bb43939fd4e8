import type { Point } from './ocr-result';
import {
  addQuarterTurns,
  polygonToSource,
  polygonToTurned,
  toSourcePixel,
  toTurnedPixel,
  turnedSize,
  type PageTurn,
} from './page-turn';

const source = { width: 200, height: 100 };
const box: Point[] = [
  [0.7, 0.1],
  [0.8, 0.1],
  [0.8, 0.3],
  [0.7, 0.3],
];

function expectPoints(actual: Point[], expected: Point[], digits = 6) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach(([x, y], i) => {
    expect(x).toBeCloseTo(expected[i][0], digits);
    expect(y).toBeCloseTo(expected[i][1], digits);
  });
}

describe('page turns', () => {
  it('swaps the sides on quarter turns and grows the canvas for a skew', () => {
    expect(turnedSize(source, { rotation: 90, deskewDegrees: 0 })).toEqual({ width: 100, height: 200 });
    expect(turnedSize(source, { rotation: 180, deskewDegrees: 0 })).toEqual(source);
    // libvips's bounding box of a 200×100 image turned 3°: 204.96 × 110.33.
    expect(turnedSize(source, { rotation: 0, deskewDegrees: 3 })).toEqual({ width: 205, height: 110 });
  });

  it('turns pixels clockwise, as sharp does (measured: a dot at 150.5,20.5 of 200×100)', () => {
    expectPoints([toTurnedPixel([150.5, 20.5], source, { rotation: 90, deskewDegrees: 0 })], [[79.5, 150.5]]);
    expectPoints([toTurnedPixel([150.5, 20.5], source, { rotation: 270, deskewDegrees: 0 })], [[20.5, 49.5]]);
    expectPoints([toTurnedPixel([150.5, 20.5], source, { rotation: 180, deskewDegrees: 0 })], [[49.5, 79.5]]);
    // sharp put the dot's centre at 154.5, 28.5 after rotate(3): within a pixel.
    const [x, y] = toTurnedPixel([150.5, 20.5], source, { rotation: 0, deskewDegrees: 3 });
    expect(Math.abs(x - 154.5)).toBeLessThan(1);
    expect(Math.abs(y - 28.5)).toBeLessThan(1);
  });

  it('maps a box on the image to the turned page exactly for quarter turns', () => {
    expectPoints(polygonToTurned(box, source, { rotation: 180, deskewDegrees: 0 }), [
      [0.3, 0.9],
      [0.2, 0.9],
      [0.2, 0.7],
      [0.3, 0.7],
    ]);
    expectPoints(polygonToTurned(box, source, { rotation: 90, deskewDegrees: 0 }), [
      [0.9, 0.7],
      [0.9, 0.8],
      [0.7, 0.8],
      [0.7, 0.7],
    ]);
  });

  it('makes a box on a skewed page a turned quadrilateral of the same size', () => {
    const turn: PageTurn = { rotation: 0, deskewDegrees: 5 };
    const size = turnedSize(source, turn);
    const quad = polygonToTurned(box, source, turn).map(([x, y]) => [x * size.width, y * size.height]);
    const side = (a: number[], b: number[]) => Math.hypot(b[0] - a[0], b[1] - a[1]);
    expect(side(quad[0], quad[1])).toBeCloseTo(0.1 * source.width, 0);
    expect(side(quad[1], quad[2])).toBeCloseTo(0.2 * source.height, 0);
    // The top edge now slopes down to the right by 5°.
    const slope = (Math.atan2(quad[1][1] - quad[0][1], quad[1][0] - quad[0][0]) * 180) / Math.PI;
    expect(slope).toBeCloseTo(5, 3);
  });

  it.each<PageTurn>([
    { rotation: 0, deskewDegrees: 0 },
    { rotation: 90, deskewDegrees: 0 },
    { rotation: 180, deskewDegrees: -2.7 },
    { rotation: 270, deskewDegrees: 6 },
    { rotation: 0, deskewDegrees: -14.5 },
  ])('maps image → page → image and page → image → page without loss (%o)', (turn) => {
    expectPoints(polygonToSource(polygonToTurned(box, source, turn), source, turn), box);
    const onPage: Point[] = [
      [0.25, 0.4],
      [0.5, 0.45],
      [0.5, 0.5],
      [0.25, 0.45],
    ];
    expectPoints(polygonToTurned(polygonToSource(onPage, source, turn), source, turn), onPage);
    const pixel: Point = [12.25, 87.5];
    expectPoints([toSourcePixel(toTurnedPixel(pixel, source, turn), source, turn)], [pixel]);
  });

  it('adds quarter turns modulo a full turn', () => {
    expect(addQuarterTurns(90, 180)).toBe(270);
    expect(addQuarterTurns(270, 180)).toBe(90);
    expect(addQuarterTurns(0, -90)).toBe(270);
  });
});
