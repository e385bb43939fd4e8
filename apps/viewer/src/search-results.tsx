import type { JSX } from 'preact';
import type { SearchHit } from './recto-api';
import { SnippetText } from './snippet-text';

/** One row per matching page; Enter or a click opens the page with its hits boxed. */
export function SearchResults(props: {
  query: string;
  hits: SearchHit[] | null;
  error: string | null;
  onOpen(hit: SearchHit): void;
}): JSX.Element | null {
  if (!props.query) return null;
  return (
    <section class="panel results" aria-labelledby="results-title">
      <h2 id="results-title">
        Results for “{props.query}”{props.hits ? ` (${props.hits.length})` : ''}
      </h2>
      {props.error && <p class="error">{props.error}</p>}
      {props.hits?.length === 0 && <p class="muted">No page matches.</p>}
      <ol class="hit-list" data-testid="hit-list">
        {props.hits?.map((h) => (
          <li key={`${h.document_id}/${h.page}`}>
            <button type="button" class="hit" onClick={() => props.onOpen(h)}>
              <span class="name">
                {h.filename} <span class="page">p. {h.page}</span>
              </span>
              <SnippetText html={h.snippet} />
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
