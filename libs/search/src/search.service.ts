import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { DocumentRepository, MatchedWord, PageRepository, Polygon } from '@recto/database';
import { IndexHit, IndexQuery, IndexSort, SEARCH_INDEX, SearchIndex } from './search-index.interface';
import { mergeByLine } from './line-merger';
import { buildSnippet } from './snippet.builder';
import { ClassifiedMatch, classifyMatches, kindOf } from './match-kind.classifier';
import { MatchKind, MatchOptions, parseQuery } from './query-terms.parser';

/** The index's query (which pages match, facets, matching options) and how hits are shaped. */
export interface SearchPagesQuery extends Omit<IndexQuery, 'sort' | 'distinctDocument'>, HitPresentation {
  sort?: Exclude<IndexSort, 'page'>;
  /** `document`: one best page per document, with how many of its pages match. */
  group?: 'page' | 'document';
}

/** How hits are shaped, independent of which pages match. */
export interface HitPresentation {
  /** `line`: consecutive matched words of one line become one region (with the words kept). */
  merge?: 'none' | 'line';
  /** About how many words a snippet holds. */
  snippetWords?: number;
}

export interface SearchHighlight {
  content: string;
  polygon: Polygon;
  /** Where the word (or merged words) sit in the page content, and on which line. */
  line: number;
  charStart: number;
  charEnd: number;
  /** How the word matched the query (a merged region: its loosest word). */
  match: MatchKind;
  /** With `merge: 'line'`: the words that make up the region. */
  words?: { content: string; polygon: Polygon; match: MatchKind }[];
}

export interface SearchHit {
  documentId: string;
  filename: string;
  alias: string | null;
  pageNumber: number;
  pageWidth: number | null;
  pageHeight: number | null;
  snippet: string;
  highlights: SearchHighlight[];
  /** With `group: 'document'`: how many pages of the document match. */
  matchingPages?: number;
}

export interface SearchResult {
  query: string;
  limit: number;
  offset: number;
  estimatedTotalHits: number;
  processingTimeMs: number;
  hits: SearchHit[];
  facetDistribution?: Record<string, Record<string, number>>;
}

/**
 * Search = the engine's page hits + their match offsets traced back to words in Postgres (one
 * query for all hits) + the page and document facts from Postgres. Postgres has the last word:
 * a hit whose page is gone (deleted, reprocessed) is dropped, never shown.
 */
@Injectable()
export class SearchService {
  constructor(
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
    private readonly documents: DocumentRepository,
    private readonly pages: PageRepository,
  ) {}

  async search(query: SearchPagesQuery): Promise<SearchResult> {
    const byDocument = query.group === 'document';
    const base: IndexQuery = { ...query, sort: query.sort ?? 'relevance' };
    if (!byDocument) return this.run({ ...base, facets: query.facets }, query);
    // Facets count what survives `distinct` (one page per document), so page counts come from a
    // second, hit-less query over all matching pages.
    const [result, counts] = await Promise.all([
      this.run({ ...base, distinctDocument: true }, query),
      this.index.search({
        ...base,
        limit: 0,
        offset: 0,
        facets: [...new Set([...(query.facets ?? []), 'document_id'])],
      }),
    ]);
    await this.countMatchingPages(query, result, counts.facetDistribution?.document_id ?? {});
    if (query.facets?.length) {
      result.facetDistribution = Object.fromEntries(query.facets.map((f) => [f, counts.facetDistribution?.[f] ?? {}]));
    }
    return result;
  }

  /**
   * Pages per document come from the document_id facet; the engine lists at most 100 values of a
   * facet, so a document missing there is counted with its own query.
   */
  private async countMatchingPages(
    query: SearchPagesQuery,
    result: SearchResult,
    counts: Record<string, number>,
  ): Promise<void> {
    await Promise.all(
      result.hits.map(async (hit) => {
        hit.matchingPages =
          counts[hit.documentId] ??
          (await this.index.search({ ...query, documentId: hit.documentId, limit: 0, offset: 0 })).estimatedTotalHits;
      }),
    );
  }

  /** Every matching page of one document, in page order. */
  async searchDocument(
    tenantId: string,
    documentId: string,
    q: string,
    limit: number,
    offset: number,
    presentation: HitPresentation = {},
    matching: MatchOptions = {},
  ): Promise<SearchResult> {
    const document = await this.documents.findForTenant(tenantId, documentId);
    if (!document) throw new DomainException(ErrorCode.DocumentNotFound, 'The document was not found.');
    return this.run({ tenantId, q, documentId, limit, offset, sort: 'page', matching }, presentation);
  }

  private async run(query: IndexQuery, presentation: HitPresentation): Promise<SearchResult> {
    const started = Date.now();
    const result = await this.index.search(query);
    const parsed = parseQuery(query.q);
    const classified = result.hits.map((hit) => ({
      hit,
      matches: classifyMatches(hit.content, hit.matches, parsed, query.matching ?? {}),
    }));
    // A page the engine matched only in ways the options exclude (a typo of the last word while
    // prefixes are on, two typos with typos=1) has nothing to show: it is no hit.
    const kept = classified.filter((c) => c.matches.length > 0 || c.hit.matches.length === 0);
    const hits = await this.resolve(query.tenantId, kept, presentation);
    return {
      query: query.q,
      limit: query.limit,
      offset: query.offset,
      estimatedTotalHits: Math.max(hits.length, result.estimatedTotalHits - (classified.length - kept.length)),
      processingTimeMs: Math.max(result.processingTimeMs, Date.now() - started),
      hits,
      ...(result.facetDistribution ? { facetDistribution: result.facetDistribution } : {}),
    };
  }

  private async resolve(
    tenantId: string,
    indexHits: { hit: IndexHit; matches: ClassifiedMatch[] }[],
    presentation: HitPresentation,
  ): Promise<SearchHit[]> {
    if (indexHits.length === 0) return [];
    const pages = await this.pages.findHitPages(
      tenantId,
      indexHits.map(({ hit }) => hit.pageId),
      indexHits.flatMap(({ hit, matches }) =>
        matches.map((m) => ({ pageId: hit.pageId, start: m.start, end: m.start + m.length })),
      ),
    );
    const pageById = new Map(pages.map((p) => [p.pageId, p]));

    const hits: SearchHit[] = [];
    for (const { hit, matches } of indexHits) {
      const page = pageById.get(hit.pageId);
      if (!page) continue;
      hits.push({
        documentId: page.documentId,
        filename: page.filename,
        alias: page.alias,
        pageNumber: page.number,
        pageWidth: page.width,
        pageHeight: page.height,
        snippet: buildSnippet(hit.content, matches, { words: presentation.snippetWords }),
        highlights: this.highlightsOf(page.words, hit.content, matches, presentation.merge),
      });
    }
    return hits;
  }

  private highlightsOf(
    words: MatchedWord[],
    content: string,
    matches: ClassifiedMatch[],
    merge: HitPresentation['merge'],
  ): SearchHighlight[] {
    const kinded = words.map((w) => ({ ...w, match: kindOf(w.charStart, w.charEnd, matches) }));
    return merge === 'line' ? mergeByLine(kinded, content) : kinded;
  }
}
