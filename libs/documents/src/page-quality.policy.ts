import type { OcrPage } from '@recto/ocr';

/**
 * Under this mean word confidence a page counts as badly read. Upright dev pages read 0.78–0.90
 * with the local engine, pages it could not read (upside down before orientation detection,
 * garbled, handwriting) 0.25–0.45.
 */
export const LOW_CONFIDENCE = 0.6;

/** Pages with fewer words than this are not judged: a near-blank page's few specks say nothing. */
export const MIN_JUDGED_WORDS = 5;

/** Only the local engine's confidences are calibrated against the dev set. */
const JUDGED_PROVIDERS = new Set(['local']);

export interface PageQuality {
  meanConfidence: number | null;
  quality: 'ok' | 'low' | null;
  reason: string | null;
}

export interface DocumentQualityVerdict {
  quality: 'ok' | 'low' | null;
  reason: string | null;
}

/**
 * How well a page was read: its mean word confidence, and a verdict only for pages the local
 * engine recognised (text layers carry no confidence; Mindee's scale is its own).
 */
export function assessPage(page: OcrPage, provider: string): PageQuality {
  const confidences = page.words.map((w) => w.confidence).filter((c): c is number => c !== null);
  const meanConfidence =
    confidences.length > 0
      ? Math.round((confidences.reduce((a, b) => a + b, 0) / confidences.length) * 1000) / 1000
      : null;
  if (!JUDGED_PROVIDERS.has(provider) || page.source !== 'ocr' || meanConfidence === null) {
    return { meanConfidence, quality: null, reason: null };
  }
  if (confidences.length < MIN_JUDGED_WORDS) return { meanConfidence, quality: null, reason: null };
  if (meanConfidence >= LOW_CONFIDENCE) return { meanConfidence, quality: 'ok', reason: null };
  const done = [
    page.turn?.rotation ? `turned ${page.turn.rotation}°` : null,
    page.turn?.deskewDegrees ? `straightened ${page.turn.deskewDegrees}°` : null,
    page.upscale && page.upscale > 1 ? `upscaled ${page.upscale}×` : null,
  ].filter(Boolean);
  return {
    meanConfidence,
    quality: 'low',
    reason:
      `mean word confidence ${meanConfidence.toFixed(2)} is under ${LOW_CONFIDENCE}` +
      (done.length > 0 ? ` after it was ${done.join(', ')}` : ''),
  };
}

/** A document is low when any of its pages is; ok when every judged page is; null when none was judged. */
export function assessDocument(pages: { number: number; quality: PageQuality }[]): DocumentQualityVerdict {
  const judged = pages.filter((p) => p.quality.quality !== null);
  if (judged.length === 0) return { quality: null, reason: null };
  const low = judged.filter((p) => p.quality.quality === 'low');
  if (low.length === 0) return { quality: 'ok', reason: null };
  const worst = low.reduce((a, b) => ((b.quality.meanConfidence ?? 1) < (a.quality.meanConfidence ?? 1) ? b : a));
  const reason =
    low.length === 1
      ? `page ${worst.number}: ${worst.quality.reason}`
      : `${low.length} of ${pages.length} pages read with low confidence (pages ${low
          .slice(0, 10)
          .map((p) => p.number)
          .join(', ')}${low.length > 10 ? ', …' : ''}); worst, page ${worst.number}: ${worst.quality.reason}`;
  return { quality: 'low', reason };
}
