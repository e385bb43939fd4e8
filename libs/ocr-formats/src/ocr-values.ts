/** A finite number from an attribute (ALTO allows floats), or null. */
export function numberOf(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
}

/**
 * A confidence as 0..1: ALTO's WC and PAGE's conf are 0..1 by their schemas, hOCR's x_wconf is
 * 0..100; some producers write percentages where fractions belong, so values in (1, 100] are read
 * as percentages.
 */
export function confidenceOf(value: string | number | undefined, scale: 1 | 100 = 1): number | null {
  const n = typeof value === 'number' ? value : numberOf(value);
  if (n === null || n < 0) return null;
  const fraction = scale === 100 || n > 1 ? n / 100 : n;
  return fraction > 1 ? null : Math.round(fraction * 1e4) / 1e4;
}
