import type { Point } from './ocr-result';

export type QuarterTurn = 0 | 90 | 180 | 270;

/**
 * What was done to a page image before it was read, and what the served page image shows: the
 * image (upright by its EXIF orientation or its PDF /Rotate) turned clockwise by `rotation`, then
 * by `deskewDegrees` (clockwise positive) about its centre onto a canvas grown to hold all of it,
 * the corners filled with white. Polygons of words are relative to that turned frame.
 */
export interface PageTurn {
  rotation: QuarterTurn;
  deskewDegrees: number;
}

export const NO_TURN: PageTurn = { rotation: 0, deskewDegrees: 0 };

export interface Size {
  width: number;
  height: number;
}

export function isTurned(turn: PageTurn): boolean {
  return turn.rotation !== 0 || turn.deskewDegrees !== 0;
}

/** The clockwise angle in degrees the whole turn amounts to (what sharp's rotate() is given). */
export function turnAngle(turn: PageTurn): number {
  return turn.rotation + turn.deskewDegrees;
}

/** The quarter turn `base` followed by `more` degrees clockwise, normalised to 0/90/180/270. */
export function addQuarterTurns(base: QuarterTurn, more: number): QuarterTurn {
  return ((((base + more) % 360) + 360) % 360) as QuarterTurn;
}

/**
 * Size of the turned frame for an image of `size`: exact width/height swap for quarter turns,
 * the rounded bounding box of the turned image otherwise (as libvips makes it).
 */
export function turnedSize(size: Size, turn: PageTurn): Size {
  const { width, height } = size;
  if (turn.deskewDegrees === 0) return turn.rotation % 180 === 0 ? { width, height } : { width: height, height: width };
  const t = (turnAngle(turn) * Math.PI) / 180;
  const cos = Math.abs(Math.cos(t));
  const sin = Math.abs(Math.sin(t));
  return { width: Math.round(width * cos + height * sin), height: Math.round(width * sin + height * cos) };
}

/** A point in pixels of the unturned image → pixels of the turned frame. */
export function toTurnedPixel([x, y]: Point, source: Size, turn: PageTurn): Point {
  const target = turnedSize(source, turn);
  const t = (turnAngle(turn) * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const dx = x - source.width / 2;
  const dy = y - source.height / 2;
  return [dx * cos - dy * sin + target.width / 2, dx * sin + dy * cos + target.height / 2];
}

/** A point in pixels of the turned frame → pixels of the unturned image (the inverse of toTurnedPixel). */
export function toSourcePixel([x, y]: Point, source: Size, turn: PageTurn): Point {
  const target = turnedSize(source, turn);
  const t = (turnAngle(turn) * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const dx = x - target.width / 2;
  const dy = y - target.height / 2;
  return [dx * cos + dy * sin + source.width / 2, -dx * sin + dy * cos + source.height / 2];
}

/**
 * A relative polygon on the unturned image → relative polygon on the turned (served) page. An
 * axis-aligned box becomes a quadrilateral turned with the page; its points keep their order, so
 * the first is still the corner that was top-left on the unturned image.
 */
export function polygonToTurned(polygon: Point[], source: Size, turn: PageTurn): Point[] {
  const target = turnedSize(source, turn);
  return polygon.map(([x, y]) => {
    const [tx, ty] = toTurnedPixel([x * source.width, y * source.height], source, turn);
    return [tx / target.width, ty / target.height];
  });
}

/** A relative polygon on the turned (served) page → relative polygon on the unturned image. */
export function polygonToSource(polygon: Point[], source: Size, turn: PageTurn): Point[] {
  const target = turnedSize(source, turn);
  return polygon.map(([x, y]) => {
    const [sx, sy] = toSourcePixel([x * target.width, y * target.height], source, turn);
    return [sx / source.width, sy / source.height];
  });
}
