import type { Schemas } from '@recto/api-client';
import { formatSnippet } from './snippet-format';
import { textTable } from './text-table';

/** Hits as a table: document, page, snippet (matches in bold on a terminal, in [brackets] otherwise). */
export function renderSearch(
  result: Schemas['SearchResponseDto'],
  terminal: { isTTY: boolean; columns?: number },
): string {
  if (result.hits.length === 0) return `No page matches “${result.query}”.`;
  const rows = result.hits.map((h) => [
    h.filename,
    h.document_id.slice(0, 8),
    String(h.page),
    formatSnippet(h.snippet, terminal.isTTY ? 'ansi' : 'plain'),
  ]);
  const table = textTable(['DOCUMENT', 'ID', 'PAGE', 'SNIPPET'], rows, terminal.isTTY ? terminal.columns : undefined);
  const shown = result.hits.length;
  return `${table}\n\n${shown} of ~${result.estimated_total_hits} matching pages (${result.processing_time_ms} ms)`;
}
