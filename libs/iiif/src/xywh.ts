import type { Polygon } from '@recto/database';
import type { IiifPage } from './iiif-types';

/** A relative polygon as the `xywh` media fragment in the canvas's pixel space. */
export function xywhOf(polygon: Polygon, page: IiifPage): string {
  const xs = polygon.map((p) => p[0] * page.width);
  const ys = polygon.map((p) => p[1] * page.height);
  // Rounded, not floored: relative coordinates carry float noise (0.55 × 1000 = 549.999…).
  const x = Math.round(Math.min(...xs));
  const y = Math.round(Math.min(...ys));
  const w = Math.max(1, Math.round(Math.max(...xs)) - x);
  const h = Math.max(1, Math.round(Math.max(...ys)) - y);
  return `xywh=${x},${y},${w},${h}`;
}
