import { polygonToTurned, turnAngle, turnedSize, type PageTurn, type Point } from '@recto/ocr';
import sharp from 'sharp';
import { join } from 'node:path';
import type { DevScan, GroundTruthWord } from './dev-scans';

/** How the eval turns the dev pages, as a scanner would have: upside down, sideways, skewed. */
export const SCAN_VARIANTS: Record<string, PageTurn> = {
  upright: { rotation: 0, deskewDegrees: 0 },
  rot90: { rotation: 90, deskewDegrees: 0 },
  rot180: { rotation: 180, deskewDegrees: 0 },
  rot270: { rotation: 270, deskewDegrees: 0 },
  'skew+3': { rotation: 0, deskewDegrees: 3 },
  'skew-3': { rotation: 0, deskewDegrees: -3 },
  'skew+6': { rotation: 0, deskewDegrees: 6 },
  'skew-6': { rotation: 0, deskewDegrees: -6 },
};

/**
 * The scan's ground truth after the page went through `turns` in order (each about the centre of
 * the image as it then was, as sharp and the engine turn it): each box is turned as a
 * quadrilateral through every turn and only then boxed again, so a skew undone by the engine
 * gives back the tight box.
 */
export function turnScan(scan: DevScan, turns: PageTurn[], imagePath = scan.imagePath, name = scan.name): DevScan {
  let size = { width: scan.width, height: scan.height };
  const sizes = turns.map((turn) => {
    const before = size;
    size = turnedSize(size, turn);
    return before;
  });
  const turnBox = (word: GroundTruthWord): GroundTruthWord => {
    const [x0, y0, x1, y1] = word.bbox;
    let polygon: Point[] = [
      [x0 / scan.width, y0 / scan.height],
      [x1 / scan.width, y0 / scan.height],
      [x1 / scan.width, y1 / scan.height],
      [x0 / scan.width, y1 / scan.height],
    ];
    turns.forEach((turn, i) => (polygon = polygonToTurned(polygon, sizes[i], turn)));
    const xs = polygon.map((p) => p[0] * size.width);
    const ys = polygon.map((p) => p[1] * size.height);
    return { text: word.text, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
  };
  return {
    ...scan,
    name,
    imagePath,
    width: size.width,
    height: size.height,
    words: scan.words.map(turnBox),
    lines: scan.lines.map(turnBox),
  };
}

/** Writes the scan turned as `variant` under `dir` and returns it with its ground truth turned the same way. */
export async function makeScanVariant(scan: DevScan, variant: string, dir: string): Promise<DevScan> {
  const turn = SCAN_VARIANTS[variant];
  if (!turn) throw new Error(`Unknown variant ${variant}; known: ${Object.keys(SCAN_VARIANTS).join(', ')}`);
  if (variant === 'upright') return scan;
  const imagePath = join(dir, `${scan.name}@${variant}.png`);
  await sharp(scan.imagePath).rotate(turnAngle(turn), { background: '#ffffff' }).png().toFile(imagePath);
  return turnScan(scan, [turn], imagePath, `${scan.name}@${variant}`);
}
