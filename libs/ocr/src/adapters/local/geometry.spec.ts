import { boxToPolygon, clamp01 } from './geometry';

describe('boxToPolygon', () => {
  it('gives four relative points clockwise from top-left', () => {
    expect(boxToPolygon({ x0: 10, y0: 20, x1: 30, y1: 60 }, 100, 200)).toEqual([
      [0.1, 0.1],
      [0.3, 0.1],
      [0.3, 0.3],
      [0.1, 0.3],
    ]);
  });

  it('is the same for a box found on an upscaled copy', () => {
    const original = boxToPolygon({ x0: 10, y0: 20, x1: 30, y1: 60 }, 100, 200);
    expect(boxToPolygon({ x0: 30, y0: 60, x1: 90, y1: 180 }, 300, 600)).toEqual(original);
  });

  it('clamps boxes reaching past the image and orders swapped corners', () => {
    expect(boxToPolygon({ x0: 120, y0: -5, x1: 50, y1: 250 }, 100, 200)).toEqual([
      [0.5, 0],
      [1, 0],
      [1, 1],
      [0.5, 1],
    ]);
    expect(clamp01(Number.NaN)).toBe(0);
  });
});
