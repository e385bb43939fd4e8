import type { Point } from './ocr-result';

export type QuarterTurn = 0 | 90 | 180 | 270;

/**
 * What was done to a page image before it was read, and what the served page image shows: the
 * image (upright by its EXIF orientation or its PDF /Rotate) turned clockwise by `rotation`, then
 * by `deskewDegrees` (clockwise positive) onto a canvas grown to hold all of it, the corners
 * filled with white, exactly as sharp's `rotate(rotation + deskewDegrees)` makes it (see
 * turnOrigin). Polygons of words are relative to that turned frame of the page at its own size.
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

/**
 * Where libvips (sharp's `rotate(angle)` for angles that are not quarter turns) puts the image:
 * it turns pixel centres about the origin, and the output starts at the rounded top-left of the
 * turned image's bounding box. Modelling this instead of a turn about the centre matters on
 * small print: the two differ by up to 0.75 px, a tenth of a word's height on a 100 dpi scan.
 * Quarter turns are exact transposes (libvips's rot), which a turn about the centre describes.
 */
function turnOrigin(source: Size, turn: PageTurn): { cos: number; sin: number; left: number; top: number } {
  const t = (turnAngle(turn) * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  if (turn.deskewDegrees === 0) {
    // Quarter turns: the centre-based formula below with the origin chosen so that it is exact.
    const target = turnedSize(source, turn);
    const cx = source.width / 2;
    const cy = source.height / 2;
    return {
      cos,
      sin,
      left: cx * cos - cy * sin - target.width / 2 + 0.5 * (1 - cos + sin),
      top: cx * sin + cy * cos - target.height / 2 + 0.5 * (1 - sin - cos),
    };
  }
  const { width: w, height: h } = source;
  const xs = [0, w * cos, -h * sin, w * cos - h * sin];
  const ys = [0, w * sin, h * cos, w * sin + h * cos];
  return { cos, sin, left: Math.round(Math.min(...xs)), top: Math.round(Math.min(...ys)) };
}

/**
 * A point in pixels of the unturned image → pixels of the turned frame (both with pixel edges at
 * whole numbers, so a pixel's centre is at +0.5), exactly where sharp's rotate puts it.
 */
export function toTurnedPixel([x, y]: Point, source: Size, turn: PageTurn): Point {
  const { cos, sin, left, top } = turnOrigin(source, turn);
  const dx = x - 0.5;
  const dy = y - 0.5;
  return [dx * cos - dy * sin - left + 0.5, dx * sin + dy * cos - top + 0.5];
}

/** A point in pixels of the turned frame → pixels of the unturned image (the inverse of toTurnedPixel). */
export function toSourcePixel([x, y]: Point, source: Size, turn: PageTurn): Point {
  const { cos, sin, left, top } = turnOrigin(source, turn);
  const dx = x - 0.5 + left;
  const dy = y - 0.5 + top;
  return [dx * cos + dy * sin + 0.5, -dx * sin + dy * cos + 0.5];
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

/** An image of `size` turned by `turn`: the frame a reading's relative polygons refer to. */
export interface TurnedFrame {
  size: Size;
  turn: PageTurn;
}

/**
 * A relative polygon on one turned frame of a picture → the same points on another turned frame
 * of the same picture, possibly at another size. This is how words read on the page upscaled and
 * straightened for OCR land on the page image the API serves (the page at its own size turned by
 * the final turn): libvips places a turned image by whole pixels at each size, so relative
 * positions would otherwise drift by up to 0.75 px between the two.
 */
export function reframePolygon(polygon: Point[], from: TurnedFrame, to: TurnedFrame): Point[] {
  const fromTurned = turnedSize(from.size, from.turn);
  const toTurned = turnedSize(to.size, to.turn);
  return polygon.map(([x, y]) => {
    const [sx, sy] = toSourcePixel([x * fromTurned.width, y * fromTurned.height], from.size, from.turn);
    const [tx, ty] = toTurnedPixel(
      [(sx / from.size.width) * to.size.width, (sy / from.size.height) * to.size.height],
      to.size,
      to.turn,
    );
    return [tx / toTurned.width, ty / toTurned.height];
  });
}
