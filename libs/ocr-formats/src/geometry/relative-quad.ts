import type { Point } from '@recto/ocr';

type Xy = [number, number];

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function cross(o: Xy, a: Xy, b: Xy): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Andrew's monotone chain; collinear points dropped. */
function convexHull(points: Xy[]): Xy[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const lower: Xy[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Xy[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * The minimum-area rectangle enclosing the points (one of its sides lies on a hull edge), as 4
 * corners. Axis-aligned input gives its own box back.
 */
export function minimumRotatedRectangle(points: Xy[]): Xy[] {
  const hull = convexHull(points);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const box: Xy[] = [
    [Math.min(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.max(...ys)],
    [Math.min(...xs), Math.max(...ys)],
  ];
  if (hull.length < 3) return box;
  let best = box;
  let bestArea = (box[1][0] - box[0][0]) * (box[2][1] - box[1][1]);
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % hull.length];
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length === 0) continue;
    const ux = (b[0] - a[0]) / length;
    const uy = (b[1] - a[1]) / length;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = (p[0] - a[0]) * ux + (p[1] - a[1]) * uy;
      const v = -(p[0] - a[0]) * uy + (p[1] - a[1]) * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    // Ties (and float noise) keep the axis-aligned box, which is what most words are.
    if (area < bestArea * (1 - 1e-9)) {
      bestArea = area;
      const at = (u: number, v: number): Xy => [a[0] + u * ux - v * uy, a[1] + u * uy + v * ux];
      best = [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)];
    }
  }
  return best;
}

/**
 * Orders 4 corners clockwise (y down) starting from the top-left one: the corner whose
 * position is least along the diagonal x + y.
 */
function clockwiseFromTopLeft(corners: Xy[]): Xy[] {
  const cx = corners.reduce((s, p) => s + p[0], 0) / corners.length;
  const cy = corners.reduce((s, p) => s + p[1], 0) / corners.length;
  // Increasing atan2 with y pointing down is clockwise on screen.
  const sorted = [...corners].sort((p, q) => Math.atan2(p[1] - cy, p[0] - cx) - Math.atan2(q[1] - cy, q[0] - cx));
  let start = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][0] + sorted[i][1] < sorted[start][0] + sorted[start][1]) start = i;
  }
  return sorted.slice(start).concat(sorted.slice(0, start));
}

/**
 * A word's outline in the file's units (a box's corners or a PAGE polygon of any length) as the
 * contract's polygon: its minimum rotated rectangle, relative to the page, clockwise from top-left.
 * Computed in the file's units so that the rectangle is right-angled on the page, not in [0,1]².
 */
export function relativeQuad(points: Xy[], pageWidth: number, pageHeight: number): Point[] {
  return clockwiseFromTopLeft(minimumRotatedRectangle(points)).map(
    ([x, y]) => [round6(clamp01(x / pageWidth)), round6(clamp01(y / pageHeight))] as Point,
  );
}

/** An axis-aligned box (x0, y0)–(x1, y1) in the file's units as the contract's polygon. */
export function relativeBox(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  pageWidth: number,
  pageHeight: number,
): Point[] {
  return relativeQuad(
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ],
    pageWidth,
    pageHeight,
  );
}
