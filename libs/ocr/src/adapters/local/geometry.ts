import type { Point } from '../../ocr-result';

export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/**
 * An axis-aligned pixel box of an image `width` x `height` as a relative polygon (clockwise from
 * top-left). Relative coordinates are scale-free, so a box found on an upscaled copy maps back to
 * the original image by dividing by the upscaled copy's size.
 */
export function boxToPolygon(box: PixelBox, width: number, height: number): Point[] {
  const x0 = clamp01(Math.min(box.x0, box.x1) / width);
  const x1 = clamp01(Math.max(box.x0, box.x1) / width);
  const y0 = clamp01(Math.min(box.y0, box.y1) / height);
  const y1 = clamp01(Math.max(box.y0, box.y1) / height);
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

/** Rounds coordinates so results stay compact in JSON without losing sub-pixel precision. */
export function roundPoint([x, y]: Point): Point {
  return [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6];
}
