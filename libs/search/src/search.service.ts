import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { DocumentRepository, HitPageRow, MatchedWord, matchedWords, PageRepository, Polygon } from '@recto/database';
import { IndexQuery, IndexSort, SEARCH_INDEX, SearchIndex } from './search-index.interface';
import { mergeByLine } from './line-merger';
import { buildSnippet } from './snippet.builder';
import { ClassifiedMatch, classifyMatches, kindOf } from './match-kind.classifier';
import { MatchKind, MatchOptions, ParsedQuery, parseQuery } from './query-terms.parser';
import { PageMatcher } from './page-matcher';

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
 * Search = the engine's page hits (ids and ranking only) + the page text, words and document
 * facts from Postgres (one query for all hits), on which the query's words are found and traced
 * to word polygons. Postgres has the last word: a hit whose page is gone (deleted, reprocessed)
 * is dropped, never shown.
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
    const parsed = parseQuery(query.q);
    const matching = query.matching ?? {};
    // Which words match is found on the page text from Postgres (PageMatcher), not asked of the
    // engine: its match positions are most of what a search costs it.
    const result = await this.index.search({ ...query, matchPositions: false });
    const rows = await this.pages.findHitPageRows(
      query.tenantId,
      result.hits.map((hit) => hit.pageId),
    );
    const rowById = new Map(rows.map((row) => [row.pageId, row]));
    const matcher = new PageMatcher(parsed, matching);
    const matchesOf = new Map<string, ClassifiedMatch[]>();
    const unmatched = new Set<string>();
    for (const hit of result.hits) {
      const row = rowById.get(hit.pageId);
      if (!row || row.content === null) continue;
      if (parsed.terms.length === 0) {
        matchesOf.set(hit.pageId, []);
        continue;
      }
      const { matches, candidates } = matcher.match(row.content);
      if (candidates > 0) matchesOf.set(hit.pageId, matches);
      else unmatched.add(hit.pageId);
    }
    if (unmatched.size > 0) await this.askEngineForMatches(query, parsed, unmatched, matchesOf);

    const hits: SearchHit[] = [];
    let dropped = 0;
    for (const hit of result.hits) {
      const row = rowById.get(hit.pageId);
      const matches = matchesOf.get(hit.pageId);
      if (!row || row.content === null) continue;
      if (matches === undefined) {
        dropped++;
        continue;
      }
      // A page the engine matched only in ways the options exclude (a typo of the last word while
      // prefixes are on, two typos with typos=1) has nothing to show: it is no hit.
      if (matches.length === 0 && parsed.terms.length > 0 && !unmatched.has(hit.pageId)) {
        dropped++;
        continue;
      }
      hits.push(this.hitOf(row, matches, presentation));
    }
    return {
      query: query.q,
      limit: query.limit,
      offset: query.offset,
      estimatedTotalHits: Math.max(hits.length, result.estimatedTotalHits - dropped),
      processingTimeMs: Math.max(result.processingTimeMs, Date.now() - started),
      hits,
      ...(result.facetDistribution ? { facetDistribution: result.facetDistribution } : {}),
    };
  }

  /**
   * Pages on whose text no query word is found here: the engine matched them another way (it
   * segments some scripts, e.g. Chinese or Thai, into words of its own). The same query once more,
   * with the engine's match positions, for those pages; one it no longer returns keeps no highlights.
   */
  private async askEngineForMatches(
    query: IndexQuery,
    parsed: ParsedQuery,
    pageIds: Set<string>,
    matchesOf: Map<string, ClassifiedMatch[]>,
  ): Promise<void> {
    const engine = await this.index.search({ ...query, matchPositions: true });
    for (const id of pageIds) matchesOf.set(id, []);
    for (const hit of engine.hits) {
      if (!pageIds.has(hit.pageId)) continue;
      const classified = classifyMatches(hit.content, hit.matches, parsed, query.matching ?? {});
      // Matched only in ways the options exclude: no hit, as for any other page.
      if (classified.length === 0 && hit.matches.length > 0) matchesOf.delete(hit.pageId);
      else matchesOf.set(hit.pageId, classified);
    }
  }

  private hitOf(row: HitPageRow, matches: ClassifiedMatch[], presentation: HitPresentation): SearchHit {
    const content = row.content ?? '';
    return {
      documentId: row.documentId,
      filename: row.filename,
      alias: row.alias,
      pageNumber: row.number,
      pageWidth: row.width,
      pageHeight: row.height,
      snippet: buildSnippet(content, matches, { words: presentation.snippetWords }),
      highlights: this.highlightsOf(matchedWords(row, matches), content, matches, presentation.merge),
    };
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
