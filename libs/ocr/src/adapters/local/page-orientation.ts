import type { OcrWord } from '../../ocr-result';
import type { PageTurn } from '../../page-turn';
import type { SkewEstimate } from './skew-estimator';

/**
 * Skews under this are left alone: upright dev pages measure up to 0.5° (their scanners' own
 * tilt), which Tesseract reads fine, and turning them would only resample the served image.
 */
export const MIN_DESKEW_DEGREES = 1;

/**
 * A first reading at least this confident is taken as upright: upright dev pages read 0.78–0.90
 * mean word confidence, the same pages upside down 0.26–0.41, so only doubtful pages pay for a
 * second reading turned by 180°.
 */
export const UPRIGHT_CONFIDENCE = 0.6;

/** The page turned by 180° must read this much more confidently to be turned. */
export const FLIP_MARGIN = 0.15;

/** The turn to read a page in first, from its projection-profile estimate. */
export function firstTurn(estimate: SkewEstimate): PageTurn {
  return {
    // Sideways lines could run either way: 90° first, and the confidence check below tries 270°.
    rotation: estimate.horizontal ? 0 : 90,
    deskewDegrees: Math.abs(estimate.degrees) >= MIN_DESKEW_DEGREES ? estimate.degrees : 0,
  };
}

/** What a reading's words say about its orientation: mean confidence of the words that look like words. */
export function readingConfidence(words: OcrWord[]): number {
  // Specks and rules read as one-character "words" at any orientation: they say nothing.
  const telling = words.filter((w) => w.confidence !== null && /[\p{L}\p{N}].*[\p{L}\p{N}]/u.test(w.content));
  if (telling.length === 0) return 0;
  return telling.reduce((sum, w) => sum + (w.confidence ?? 0), 0) / telling.length;
}

export function needsFlipCheck(words: OcrWord[]): boolean {
  return readingConfidence(words) < UPRIGHT_CONFIDENCE;
}

/** Whether the reading turned by 180° is clearly the right one (conservative: ties keep the first). */
export function preferFlipped(first: OcrWord[], flipped: OcrWord[]): boolean {
  const a = readingConfidence(first);
  const b = readingConfidence(flipped);
  return b >= UPRIGHT_CONFIDENCE - FLIP_MARGIN && b >= a + FLIP_MARGIN;
}
