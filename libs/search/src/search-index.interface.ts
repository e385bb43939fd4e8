import type { MatchOptions } from './query-terms.parser';

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
  sort?: IndexSort;
  /** Attributes to count matching pages by (`document_id`, `mime_type`, `metadata.<key>`). */
  facets?: string[];
  /** One page per document: its best page for the query. */
  distinctDocument?: boolean;
  /** Typo tolerance and prefix matching of this query (default: the engine's). */
  matching?: MatchOptions;
  /**
   * Whether hits carry their text and the engine's match positions (default true). Without them
   * a hit is its ids and score: `content` is '' and `matches` is empty, and the engine skips what
   * costs it most per hit.
   */
  matchPositions?: boolean;
}

export type IndexSort = 'relevance' | 'page' | 'created_at:asc' | 'created_at:desc';

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
  /** The engine's relevance in [0, 1], comparable across nodes (it does not depend on the corpus). */
  rankingScore?: number;
  /** Unix ms, for merging created_at-sorted answers of several nodes. */
  createdAt?: number;
}

export interface IndexResult {
  hits: IndexHit[];
  estimatedTotalHits: number;
  processingTimeMs: number;
  /** Matching pages counted per value of each requested facet. */
  facetDistribution?: Record<string, Record<string, number>>;
}

export interface SearchIndex {
  ensureSettings(): Promise<void>;
  upsertPages(pages: PageIndexDocument[]): Promise<void>;
  deleteDocument(documentId: string): Promise<void>;
  /**
   * Makes the index hold exactly these pages for the document: the new pages are written before
   * the old ones are removed, so a reprocessed document never drops out of search in between.
   */
  replaceDocument(documentId: string, pages: PageIndexDocument[]): Promise<void>;
  /** A slice of every page id in the index, for pruning what Postgres no longer has. */
  listPageIds(offset: number, limit: number): Promise<string[]>;
  deletePages(ids: string[]): Promise<void>;
  /** Every page id the index holds for a document. */
  pageIdsOf(documentId: string): Promise<string[]>;
  deleteAll?(): Promise<void>;
  search(query: IndexQuery): Promise<IndexResult>;
  isHealthy(): Promise<boolean>;
}

export const SEARCH_INDEX = Symbol('SEARCH_INDEX');
