type Xy = [number, number];

/**
 * A word's outline from a flat list of coordinates (`x0 y0 x1 y1 …`: ALTO `POINTS`, hOCR `poly`),
 * or null when it is none the word can use: an odd count, fewer than 3 points, a value that is
 * not a number, or points on a line (no area: the word's box is better than a sliver).
 */
export function outlineOf(values: number[]): Xy[] | null {
  if (values.length < 6 || values.length % 2 !== 0 || values.some((v) => !Number.isFinite(v))) return null;
  const points = Array.from({ length: values.length / 2 }, (_, i) => [values[2 * i], values[2 * i + 1]] as Xy);
  // Twice the signed area (shoelace): zero for collinear points.
  let area = 0;
  points.forEach(([x, y], i) => {
    const [nx, ny] = points[(i + 1) % points.length];
    area += x * ny - nx * y;
  });
  return area === 0 ? null : points;
}
