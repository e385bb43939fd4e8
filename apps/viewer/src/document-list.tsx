import type { JSX } from 'preact';
import type { RectoDocument } from './recto-api';

/** The tenant's latest documents with their status; the parent polls while any is Processing. */
export function DocumentList(props: {
  documents: RectoDocument[];
  error: string | null;
  onOpen(doc: RectoDocument): void;
}): JSX.Element {
  return (
    <section class="panel documents" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      {props.error && <p class="error">{props.error}</p>}
      {props.documents.length === 0 && !props.error && <p class="muted">No documents yet.</p>}
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
              <span class="meta">
                {d.page_count ? `${d.page_count} page${d.page_count > 1 ? 's' : ''} · ` : ''}
                {new Date(d.created_at).toLocaleString()}
              </span>
              {d.status === 'Failed' && d.error?.detail && <span class="error">{d.error.detail}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
