import type { Point } from './ocr-result';
import {
  addQuarterTurns,
  polygonToSource,
  polygonToTurned,
  toSourcePixel,
  reframePolygon,
  toTurnedPixel,
  turnAngle,
  turnedSize,
  type PageTurn,
  type Size,
} from './page-turn';
import sharp from 'sharp';

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
  });

  // 6×6 dots centred on whole pixel coordinates of a white image, turned by sharp, found again by
  // their ink-weighted centre.
  async function dotsTurnedBySharp(size: Size, dots: Point[], turn: PageTurn): Promise<Point[]> {
    const pixels = Buffer.alloc(size.width * size.height, 255);
    for (const [cx, cy] of dots) {
      for (let y = cy - 3; y < cy + 3; y++) for (let x = cx - 3; x < cx + 3; x++) pixels[y * size.width + x] = 0;
    }
    const { data, info } = await sharp(pixels, { raw: { ...size, channels: 1 } })
      .rotate(turnAngle(turn), { background: '#ffffff' })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height }).toEqual(turnedSize(size, turn));
    return dots.map((dot) => {
      const [ex, ey] = toTurnedPixel(dot, size, turn);
      let sx = 0;
      let sy = 0;
      let sw = 0;
      for (let y = Math.max(0, Math.floor(ey - 12)); y < Math.min(info.height, ey + 12); y++) {
        for (let x = Math.max(0, Math.floor(ex - 12)); x < Math.min(info.width, ex + 12); x++) {
          const ink = 255 - data[y * info.width + x];
          sx += ink * (x + 0.5);
          sy += ink * (y + 0.5);
          sw += ink;
        }
      }
      return [sx / sw, sy / sw];
    });
  }

  it.each<[Size, PageTurn]>([
    [source, { rotation: 0, deskewDegrees: 3 }],
    [
      { width: 754, height: 1000 },
      { rotation: 0, deskewDegrees: 6 },
    ],
    [
      { width: 754, height: 1000 },
      { rotation: 0, deskewDegrees: -6.05 },
    ],
    [
      { width: 501, height: 333 },
      { rotation: 90, deskewDegrees: 2.7 },
    ],
    [
      { width: 500, height: 500 },
      { rotation: 180, deskewDegrees: -3 },
    ],
    [
      { width: 854, height: 1073 },
      { rotation: 270, deskewDegrees: 14.5 },
    ],
    [
      { width: 501, height: 333 },
      { rotation: 270, deskewDegrees: 0 },
    ],
  ])('puts a point of a %o image exactly where sharp turns it (%o)', async (size, turn) => {
    const dots: Point[] = [
      [0.2, 0.2],
      [0.7, 0.6],
      [0.5, 0.9],
    ].map(([x, y]) => [Math.round(size.width * x), Math.round(size.height * y)]);
    const found = await dotsTurnedBySharp(size, dots, turn);
    // Within a fiftieth of a pixel; a turn about the centre was up to 0.75 px off.
    found.forEach(([x, y], i) => {
      const [ex, ey] = toTurnedPixel(dots[i], size, turn);
      expect(Math.hypot(x - ex, y - ey)).toBeLessThan(0.02);
    });
  });

  it('moves words read on the upscaled, straightened page onto the served page exactly, and back', async () => {
    // Read at 3× turned by -3°, served at 1× turned by -3° (the canvases are placed differently).
    const page = { width: 501, height: 333 };
    const read = { width: 1503, height: 999 };
    const turn: PageTurn = { rotation: 0, deskewDegrees: -3 };
    const dot: Point = [351, 100];
    const [onRead] = await dotsTurnedBySharp(read, [[dot[0] * 3, dot[1] * 3]], turn);
    const [onServed] = await dotsTurnedBySharp(page, [dot], turn);
    const readSize = turnedSize(read, turn);
    const servedSize = turnedSize(page, turn);
    const [[x, y]] = reframePolygon(
      [[onRead[0] / readSize.width, onRead[1] / readSize.height]],
      { size: read, turn },
      { size: page, turn },
    );
    expect(Math.abs(x * servedSize.width - onServed[0])).toBeLessThan(0.02);
    expect(Math.abs(y * servedSize.height - onServed[1])).toBeLessThan(0.02);
    // And back, through another final turn (the reading flipped by 180°) and back again.
    const flipped: PageTurn = { rotation: 180, deskewDegrees: -3 };
    const there = reframePolygon(box, { size: read, turn }, { size: page, turn: flipped });
    expectPoints(reframePolygon(there, { size: page, turn: flipped }, { size: read, turn }), box);
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
