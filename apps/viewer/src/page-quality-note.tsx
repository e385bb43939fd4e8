import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PageQuality, RectoApi } from './recto-api';

/** What the engine did to a page and how well it read it, in one line; flagged when low. */
export function PageQualityNote(props: { api: RectoApi; documentId: string; page: number }): JSX.Element | null {
  const [quality, setQuality] = useState<PageQuality | null>(null);
  useEffect(() => {
    let cancelled = false;
    setQuality(null);
    props.api.pageQuality(props.documentId, props.page).then(
      (q) => !cancelled && setQuality(q),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [props.api, props.documentId, props.page]);
  if (!quality) return null;
  const done = [
    quality.rotated ? `turned ${quality.rotated}°` : null,
    quality.deskewed_degrees ? `straightened ${quality.deskewed_degrees.toFixed(1)}°` : null,
    quality.upscaled && quality.upscaled > 1 ? `upscaled ${quality.upscaled}×` : null,
  ].filter(Boolean);
  const confidence =
    quality.mean_confidence === null ? null : `mean word confidence ${quality.mean_confidence.toFixed(2)}`;
  const parts = [confidence, ...done].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <p class={quality.quality === 'low' ? 'page-quality low' : 'page-quality'} data-testid="page-quality">
      {quality.quality === 'low' ? 'Low OCR quality: ' : 'OCR: '}
      {parts.join(' · ')}
    </p>
  );
}
