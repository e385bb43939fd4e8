import { DocumentEntity, PageEntity } from '@recto/database';
import { PageIndexDocument } from '@recto/search';

/** One search-index entry per stored page, carrying what search filters on. */
export function toIndexDocument(document: DocumentEntity, page: PageEntity): PageIndexDocument {
  return {
    id: page.id,
    tenant_id: document.tenantId,
    document_id: document.id,
    page_number: page.number,
    content: page.content,
    filename: document.filename,
    mime_type: document.mimeType,
    created_at: document.createdAt.getTime(),
    metadata: document.metadata,
  };
}
