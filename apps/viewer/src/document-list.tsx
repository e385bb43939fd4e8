import type { JSX } from 'preact';
import type { RectoDocument } from './recto-api';

/** The tenant's latest documents with their status, kept current by the event stream (`live`). */
export function DocumentList(props: {
  documents: RectoDocument[];
  live: boolean;
  error: string | null;
  onOpen(doc: RectoDocument): void;
  lowOnly: boolean;
  onLowOnly(value: boolean): void;
}): JSX.Element {
  return (
    <section class="panel documents" aria-labelledby="documents-title">
      <h2 id="documents-title">
        Documents
        <span
          class={`live ${props.live ? 'live-on' : 'live-off'}`}
          data-testid="live-status"
          title={
            props.live
              ? 'Updated live from the event stream'
              : 'Not connected to the event stream; refreshing now and then'
          }
        >
          {props.live ? 'live' : 'offline'}
        </span>
      </h2>
      <label class="filter">
        <input
          type="checkbox"
          checked={props.lowOnly}
          onChange={(e) => props.onLowOnly(e.currentTarget.checked)}
          data-testid="low-quality-only"
        />{' '}
        Only low-quality OCR
      </label>
      {props.error && <p class="error">{props.error}</p>}
      {props.documents.length === 0 && !props.error && (
        <p class="muted">{props.lowOnly ? 'No document was read with low confidence.' : 'No documents yet.'}</p>
      )}
      <ul class="document-list" data-testid="document-list">
        {props.documents.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              class="document"
              disabled={d.status !== 'Processed'}
              onClick={() => props.onOpen(d)}
              data-document-id={d.id}
            >
              <span class="name">{d.filename}</span>
              <span class={`status status-${d.status.toLowerCase()}`} data-testid="status">
                {d.status}
              </span>
              <span class="meta" data-testid="meta">
                {progressOf(d)}
                {new Date(d.created_at).toLocaleString()}
              </span>
              {d.quality === 'low' && (
                <span class="quality-low" data-testid="quality" title={d.quality_reason ?? undefined}>
                  Low OCR quality{d.quality_reason ? `: ${d.quality_reason}` : ''}
                </span>
              )}
              {d.status === 'Failed' && d.error?.detail && <span class="error">{d.error.detail}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "3 of 60 pages read · " while Processing, "60 pages · " once done. */
function progressOf(d: RectoDocument): string {
  if (!d.page_count) return '';
  if (d.status === 'Processing' && d.pages_done !== null && d.pages_done !== undefined) {
    return `${d.pages_done} of ${d.page_count} page${d.page_count > 1 ? 's' : ''} read · `;
  }
  return `${d.page_count} page${d.page_count > 1 ? 's' : ''} · `;
}
