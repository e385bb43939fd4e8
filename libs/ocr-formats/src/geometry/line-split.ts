import { minimumRotatedRectangle } from './relative-quad';

type Xy = [number, number];

/**
 * Outlines for the words of a line known only as a whole (a PAGE TextLine without Word elements,
 * an hOCR line without ocrx_word): the line's rectangle cut along its length in proportion to
 * each word's characters, spaces included. Coarse, but a hit still lands on its word's stretch.
 */
export function splitLine(outline: Xy[], text: string): { content: string; outline: Xy[] }[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const rect = minimumRotatedRectangle(outline);
  // Reading direction along the longer side: from the corner nearest the left of the page.
  let [a, b, c, d] = rect;
  if (Math.hypot(b[0] - a[0], b[1] - a[1]) < Math.hypot(d[0] - a[0], d[1] - a[1])) [b, d] = [d, b];
  if (b[0] < a[0]) [a, b, c, d] = [b, a, d, c];
  const total = words.reduce((n, w) => n + w.length, 0) + words.length - 1;
  const at = (p: Xy, q: Xy, t: number): Xy => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
  const result: { content: string; outline: Xy[] }[] = [];
  let offset = 0;
  for (const word of words) {
    const t0 = offset / total;
    const t1 = (offset + word.length) / total;
    result.push({ content: word, outline: [at(a, b, t0), at(a, b, t1), at(d, c, t1), at(d, c, t0)] });
    offset += word.length + 1;
  }
  return result;
}
