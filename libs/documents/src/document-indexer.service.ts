import { Inject, Injectable } from '@nestjs/common';
import { DocumentRepository, PageRepository } from '@recto/database';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { toIndexDocument } from './index-document.mapper';

/**
 * Writes a document's pages from Postgres (the source of truth) to the search index, then marks it
 * Processed: searchable from that moment. Used by the index job and, right after OCR stored the
 * pages, by the OCR job itself (one queue hop less before a page can be found).
 */
@Injectable()
export class DocumentIndexer {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly pages: PageRepository,
    @Inject(SEARCH_INDEX) private readonly searchIndex: SearchIndex,
  ) {}

  /** Resolves false when the document is gone (deleted before or while it was indexed). */
  async index(documentId: string): Promise<boolean> {
    const document = await this.documents.findById(documentId);
    if (!document) return false;
    const pages = await this.pages.findPages(document.id);
    await this.searchIndex.replaceDocument(
      document.id,
      pages.map((p) => toIndexDocument(document, p)),
    );
    // Deleted while we wrote: its delete may have run before our upsert, so clean up after it.
    if (!(await this.documents.findById(document.id))) {
      await this.searchIndex.deleteDocument(document.id);
      return false;
    }
    await this.documents.markProcessed(document.id);
    return true;
  }
}
