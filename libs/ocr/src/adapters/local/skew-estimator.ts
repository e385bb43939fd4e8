import type { GrayImage } from './page-source';

export interface SkewEstimate {
  /**
   * Clockwise degrees to turn the image by so that its text lines run straight, in
   * [-maxDegrees, maxDegrees]; 0 when the page shows no clear lines.
   */
  degrees: number;
  /**
   * Whether the lines run across the page (true) or down it (false: the page lies on its side).
   * Only reported as false when the vertical profile is clearly the sharper one.
   */
  horizontal: boolean;
  /** How peaked the best row profile is compared with ink spread evenly (1 = no lines at all). */
  horizontalScore: number;
  verticalScore: number;
}

export interface SkewEstimateOptions {
  maxDegrees?: number;
  /** Coarse search step, then refined to a tenth of it around the best coarse angle. */
  stepDegrees?: number;
  /** Pixels darker than this count as ink (after the image's own mean is taken into account). */
  maxInkPoints?: number;
  /** The vertical profile must beat the horizontal one by this factor to call the page sideways. */
  sidewaysMargin?: number;
}

const DEFAULTS: Required<SkewEstimateOptions> = {
  maxDegrees: 15,
  stepDegrees: 0.5,
  maxInkPoints: 150_000,
  sidewaysMargin: 1.25,
};

/**
 * Projection-profile skew estimate. Ink pixels are projected onto the axis across the text lines
 * at each candidate angle; at the right angle every line falls into a few bins, so the sum of the
 * squared bin counts peaks. Both axes are scored, which also tells a page lying on its side
 * (lines running down the page) from an upright one. Meant for a downscaled copy of the page
 * (~1000 px on the long side): the cost is linear in the ink pixels, which are capped by sampling.
 */
export function estimateSkew(image: GrayImage, options: SkewEstimateOptions = {}): SkewEstimate {
  const { maxDegrees, stepDegrees, maxInkPoints, sidewaysMargin } = { ...DEFAULTS, ...options };
  const points = inkPoints(image, maxInkPoints);
  if (points.xs.length < 200) return { degrees: 0, horizontal: true, horizontalScore: 1, verticalScore: 1 };
  const rows = bestAngle(points.xs, points.ys, image.width, image.height, maxDegrees, stepDegrees);
  // Columns: the same search with the axes swapped, i.e. lines running down the page.
  const columns = bestAngle(points.ys, points.xs, image.height, image.width, maxDegrees, stepDegrees);
  const horizontal = !(columns.score > rows.score * sidewaysMargin);
  // With swapped axes a clockwise turn of the lines reads as counter-clockwise.
  const degrees = horizontal ? rows.degrees : -columns.degrees;
  return {
    degrees: Math.abs(degrees) < 1e-9 ? 0 : degrees,
    horizontal,
    horizontalScore: rows.score,
    verticalScore: columns.score,
  };
}

/** Dark pixels' coordinates (centred on the image), evenly sampled down to at most `max`. */
function inkPoints(image: GrayImage, max: number): { xs: Float64Array; ys: Float64Array } {
  const { data, width, height } = image;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  const mean = sum / Math.max(1, data.length);
  // Ink is what is clearly darker than the page on average; scans are mostly paper.
  const threshold = Math.min(128, mean * 0.6);
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] < threshold) count++;
  const stride = Math.max(1, Math.ceil(count / max));
  const xs = new Float64Array(Math.ceil(count / stride));
  const ys = new Float64Array(xs.length);
  const cx = width / 2;
  const cy = height / 2;
  let seen = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] >= threshold) continue;
      if (seen++ % stride !== 0) continue;
      xs[n] = x - cx;
      ys[n] = y - cy;
      n++;
    }
  }
  return { xs: xs.subarray(0, n), ys: ys.subarray(0, n) };
}

/**
 * The clockwise turn (degrees) that makes the lines across the `ys` axis straightest, with its
 * profile score. A line tilted clockwise by t has y growing with x (y = x tan t); turning the image
 * by -t straightens it, so the projection axis for a turn of d is y' = x sin d + y cos d.
 */
function bestAngle(
  xs: Float64Array,
  ys: Float64Array,
  width: number,
  height: number,
  maxDegrees: number,
  step: number,
): { degrees: number; score: number } {
  const bins = Math.ceil(Math.hypot(width, height)) + 2;
  const counts = new Float64Array(bins);
  const offset = bins / 2;
  const scoreAt = (degrees: number) => {
    const t = (degrees * Math.PI) / 180;
    const sin = Math.sin(t);
    const cos = Math.cos(t);
    counts.fill(0);
    for (let i = 0; i < xs.length; i++) counts[Math.floor(xs[i] * sin + ys[i] * cos + offset)]++;
    let squares = 0;
    for (let i = 0; i < bins; i++) squares += counts[i] * counts[i];
    return squares;
  };
  let best = { degrees: 0, score: scoreAt(0) };
  for (let d = -maxDegrees; d <= maxDegrees + 1e-9; d += step) {
    const score = scoreAt(d);
    if (score > best.score) best = { degrees: d, score };
  }
  const fine = step / 10;
  const centre = best.degrees;
  for (let d = centre - step; d <= centre + step + 1e-9; d += fine) {
    if (Math.abs(d) > maxDegrees) continue;
    const score = scoreAt(d);
    if (score > best.score) best = { degrees: d, score };
  }
  // Relative to ink spread evenly over the lines the text could occupy: scale-free.
  const even = (xs.length * xs.length) / height;
  return { degrees: Math.round(best.degrees * 100) / 100, score: best.score / even };
}
