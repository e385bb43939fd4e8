export interface PageIndexDocument {
  /** Page uuid. */
  id: string;
  tenant_id: string;
  document_id: string;
  page_number: number;
  content: string;
  filename: string;
  mime_type: string;
  /** Unix ms. */
  created_at: number;
  metadata: Record<string, string | number | boolean>;
}

export interface IndexQuery {
  q: string;
  tenantId: string;
  documentId?: string;
  mimeType?: string;
  createdFrom?: Date;
  createdTo?: Date;
  metadata?: Record<string, string>;
  limit: number;
  offset: number;
  sort?: 'relevance' | 'page';
}

/** UTF-16 (JS string) offsets into content. */
export interface IndexMatch {
  start: number;
  length: number;
}

export interface IndexHit {
  pageId: string;
  documentId: string;
  pageNumber: number;
  content: string;
  matches: IndexMatch[];
}

export interface IndexResult {
  hits: IndexHit[];
  estimatedTotalHits: number;
  processingTimeMs: number;
}

export interface SearchIndex {
  ensureSettings(): Promise<void>;
  upsertPages(pages: PageIndexDocument[]): Promise<void>;
  deleteDocument(documentId: string): Promise<void>;
  deleteAll?(): Promise<void>;
  search(query: IndexQuery): Promise<IndexResult>;
  isHealthy(): Promise<boolean>;
}

export const SEARCH_INDEX = Symbol('SEARCH_INDEX');
