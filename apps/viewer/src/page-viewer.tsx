import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PageQualityNote } from './page-quality-note';
import type { MatchKind, Polygon, RectoApi, SearchHit } from './recto-api';

interface Box {
  page: number;
  content: string;
  polygon: Polygon;
  match: MatchKind;
}

/** Exact words and phrase words are drawn solid; prefix and typo matches dashed, as approximate. */
const isApproximate = (match: MatchKind) => match === 'prefix' || match === 'typo';

/**
 * One page of a document with the query's matched words boxed. The boxes are an SVG over the
 * image in the polygons' own relative units (viewBox 0 0 1 1, aspect not preserved), so they stay
 * on their words at any window size. Next/previous walks every box of the document, page by page.
 */
export function PageViewer(props: {
  api: RectoApi;
  documentId: string;
  filename: string;
  query: string;
  startPage: number;
  onClose(): void;
}): JSX.Element {
  const { api, documentId, query } = props;
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [pageCount, setPageCount] = useState<number | null>(null);
  const [page, setPage] = useState(props.startPage);
  const [current, setCurrent] = useState(-1);
  const [image, setImage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLElement>(null);
  const figure = useRef<HTMLDivElement>(null);

  const boxes: Box[] = useMemo(
    () =>
      hits.flatMap((h) =>
        h.highlights.map((w) => ({ page: h.page, content: w.content, polygon: w.polygon, match: w.match })),
      ),
    [hits],
  );

  useEffect(() => {
    root.current?.focus();
    api.document(documentId).then(
      (d) => setPageCount(d.page_count ?? null),
      () => undefined,
    );
    if (!query) return;
    api.searchIn(documentId, query).then(
      (found) => {
        setHits(found);
        const first = found.flatMap((h) => h.highlights.map(() => h.page)).indexOf(props.startPage);
        setCurrent(first);
      },
      (err: Error) => setError(err.message),
    );
  }, [api, documentId, query]);

  useEffect(() => {
    if (current >= 0 && boxes[current]) setPage(boxes[current].page);
  }, [current, boxes]);

  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    setImage(null);
    // Device pixels, so the page is sharp on high-density screens; the server rounds to its sizes.
    const cssWidth = figure.current?.clientWidth ?? 1000;
    const width = Math.min(4000, Math.max(320, Math.ceil(cssWidth * (window.devicePixelRatio || 1))));
    api.pageImage(documentId, page, width).then(
      (u) => {
        if (cancelled) return URL.revokeObjectURL(u);
        url = u;
        setImage(u);
      },
      (err: Error) => setError(err.message),
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, documentId, page]);

  const move = (step: number) => {
    if (boxes.length > 0) setCurrent((c) => (c + step + boxes.length) % boxes.length);
    else if (pageCount) setPage((p) => Math.min(pageCount, Math.max(1, p + step)));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.key === 'ArrowRight' || e.key === 'n') move(1);
      else if (e.key === 'ArrowLeft' || e.key === 'p') move(-1);
      else if (e.key === 'Escape') props.onClose();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onPage = boxes.map((b, i) => ({ ...b, i })).filter((b) => b.page === page);
  const currentPolygon = onPage.find((b) => b.i === current)?.polygon;
  const currentBox = currentPolygon && {
    x0: Math.min(...currentPolygon.map((p) => p[0])),
    y0: Math.min(...currentPolygon.map((p) => p[1])),
    x1: Math.max(...currentPolygon.map((p) => p[0])),
    y1: Math.max(...currentPolygon.map((p) => p[1])),
  };

  const scrollToCurrent = () =>
    figure.current?.querySelector('.current-marker')?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  useEffect(scrollToCurrent, [current]);

  const position =
    boxes.length > 0
      ? `Hit ${current + 1} of ${boxes.length} · page ${page}${pageCount ? ` of ${pageCount}` : ''}`
      : `Page ${page}${pageCount ? ` of ${pageCount}` : ''}`;
  const noun = boxes.length > 0 ? 'hit' : 'page';

  return (
    <section class="panel viewer" aria-labelledby="viewer-title" tabIndex={-1} ref={root}>
      <header class="viewer-bar">
        <button type="button" onClick={props.onClose} aria-label="Back to the list (Escape)">
          ← Back
        </button>
        <h2 id="viewer-title">
          {props.filename}
          {query && <span class="muted"> · “{query}”</span>}
        </h2>
        <div class="nav" role="group" aria-label="Navigate">
          <button type="button" onClick={() => move(-1)} aria-label={`Previous ${noun} (left arrow)`}>
            ‹ Prev
          </button>
          <span class="position" aria-live="polite" data-testid="position">
            {position}
          </span>
          <button type="button" onClick={() => move(1)} aria-label={`Next ${noun} (right arrow)`}>
            Next ›
          </button>
        </div>
      </header>
      {error && <p class="error">{error}</p>}
      <PageQualityNote api={api} documentId={documentId} page={page} />
      {boxes.length > 0 && (
        <p class="match-legend" data-testid="match-legend">
          <span class="swatch exact" aria-hidden="true" /> the word searched
          <span class="swatch approximate" aria-hidden="true" /> approximate: a longer word (prefix) or a typo
        </p>
      )}
      <div class="page-figure" ref={figure}>
        {image ? (
          <img
            src={image}
            alt={`Page ${page} of ${props.filename}`}
            data-testid="page-image"
            onLoad={scrollToCurrent}
          />
        ) : (
          <div class="page-placeholder">Loading page {page}…</div>
        )}
        {image && (
          <svg class="overlay" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
            {onPage.map((b) => (
              <polygon
                key={b.i}
                class={`${isApproximate(b.match) ? 'approximate' : 'exact'}${b.i === current ? ' current' : ''}`}
                points={b.polygon.map(([x, y]) => `${x},${y}`).join(' ')}
                data-testid="highlight"
                data-word={b.content}
                data-match={b.match}
              />
            ))}
          </svg>
        )}
        {image && currentBox && (
          // An outline drawn outside the current word, so that it never covers the word's letters.
          <div
            class="current-marker"
            aria-hidden="true"
            style={{
              left: `${currentBox.x0 * 100}%`,
              top: `${currentBox.y0 * 100}%`,
              width: `${(currentBox.x1 - currentBox.x0) * 100}%`,
              height: `${(currentBox.y1 - currentBox.y0) * 100}%`,
            }}
          />
        )}
      </div>
    </section>
  );
}
