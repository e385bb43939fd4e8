import { OnModuleDestroy } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import {
  IndexMatch,
  IndexQuery,
  IndexResult,
  IndexSort,
  PageIndexDocument,
  SearchIndex,
} from '../../search-index.interface';
import { foldForSearch, toOriginalRange } from '../../search-folding';
import { utf8SpansToUtf16 } from '../../utf8-offsets';
import { createKeepAliveHttpClient, KeepAliveHttpClient } from './keep-alive-http.client';
import { MeiliIndex, MeiliSearch, MeiliSearchClient, MeiliSettings, MeiliTask } from './meilisearch.client';
import { describeMeiliError, taskFailure, toDomainException } from './meilisearch-errors';
import { buildFilter, quoteFilterValue } from './meilisearch-filter.builder';
import { buildEngineQuery } from './meilisearch-query.builder';

export interface MeilisearchAdapterOptions {
  url: string;
  apiKey?: string;
  /** Default `pages`. */
  indexName?: string;
  /** Per HTTP request (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * How long a search waits on an engine that does not answer its health check either (default:
   * requestTimeoutMs). Searches answer people waiting: a frozen engine must become a quick 503,
   * while a live engine busy with a slow query (the first query in a new script loads its
   * dictionaries) keeps the whole request timeout.
   */
  searchTimeoutMs?: number;
  /** How long a write waits for its indexing task (default 120 s). */
  taskTimeoutMs?: number;
  /** Pooled node:http connections per host (default 64). */
  maxSockets?: number;
}

const PRIMARY_KEY = 'id';
const RETRIEVED: string[] = ['id', 'document_id', 'page_number', 'content', 'printed', 'created_at'];
/** A hit without its text (IndexQuery.matchPositions false). */
const RETRIEVED_IDS: string[] = ['id', 'document_id', 'page_number', 'created_at'];
const UPSERT_BATCH = 1_000;
/** How long the health check of a search that takes long may take before the engine counts as frozen. */
const HEALTH_PROBE_MS = 1_000;

/**
 * Settings of the page index. `filename` is stored but not searchable: a filename hit would match
 * every page of the document without any word to highlight. `sort` ranks first so that a
 * `sort: 'page'` query really comes back in page order; without a sort parameter that rule is
 * inert and relevance ranking is unchanged.
 */
export const PAGE_INDEX_SETTINGS = {
  searchableAttributes: ['content'],
  displayedAttributes: RETRIEVED,
  filterableAttributes: ['tenant_id', 'document_id', 'mime_type', 'created_at', 'metadata'],
  sortableAttributes: ['created_at', 'page_number'],
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
} satisfies MeiliSettings;

const SORTS: Record<IndexSort, string[] | undefined> = {
  relevance: undefined,
  page: ['page_number:asc'],
  'created_at:asc': ['created_at:asc', 'page_number:asc'],
  'created_at:desc': ['created_at:desc', 'page_number:asc'],
};

/** Settings whose value is a set: Meilisearch may return them in another order. */
const UNORDERED: ReadonlySet<string> = new Set(['filterableAttributes', 'sortableAttributes']);

/** `content` is folded for search (ſ → s, aͤ → ä); `printed` holds the page as printed when that differs. */
type PageHit = Pick<PageIndexDocument, 'id' | 'document_id' | 'page_number' | 'content' | 'created_at'> & {
  printed?: string;
};

/** What the engine stores of a page: the folded text to search, and the printed text if it differs. */
function toStored(page: PageIndexDocument): PageIndexDocument & { printed?: string } {
  const { folded } = foldForSearch(page.content);
  return folded === page.content ? page : { ...page, content: folded, printed: page.content };
}

/** A hit's text as printed, with the engine's match offsets moved from the folded text onto it. */
function printedMatches(hit: PageHit, matches: IndexMatch[]): { content: string; matches: IndexMatch[] } {
  if (hit.printed === undefined) return { content: hit.content, matches };
  const map = foldForSearch(hit.printed);
  if (map.folded !== hit.content) return { content: hit.printed, matches: [] };
  return {
    content: hit.printed,
    matches: matches.map((m) => {
      const r = toOriginalRange(map, m.start, m.start + m.length);
      return { start: r.start, length: r.end - r.start };
    }),
  };
}

export class MeilisearchAdapter implements SearchIndex, OnModuleDestroy {
  readonly indexName: string;
  private readonly client: MeiliSearchClient;
  private readonly index: MeiliIndex;
  private readonly keepAlive: KeepAliveHttpClient;
  private readonly taskTimeoutMs: number;
  private readonly searchTimeoutMs: number;

  constructor(options: MeilisearchAdapterOptions) {
    this.indexName = options.indexName ?? 'pages';
    this.taskTimeoutMs = options.taskTimeoutMs ?? 120_000;
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.searchTimeoutMs = options.searchTimeoutMs ?? requestTimeoutMs;
    // The keep-alive client applies the request timeout itself.
    this.keepAlive = createKeepAliveHttpClient({ maxSockets: options.maxSockets, timeoutMs: requestTimeoutMs });
    this.client = new MeiliSearch({
      host: options.url,
      apiKey: options.apiKey,
      httpClient: this.keepAlive.httpClient,
      // A page is searchable the moment its task finishes; polling every 10 ms costs Meilisearch
      // a cheap task lookup and saves ~10 ms on average before the worker can say so.
      defaultWaitOptions: { timeout: this.taskTimeoutMs, interval: 10 },
    });
    this.index = this.client.index(this.indexName);
  }

  /** Creates the index if needed and updates only the settings that differ. */
  async ensureSettings(): Promise<void> {
    await this.ensureIndex();
    let current: MeiliSettings;
    try {
      current = await this.index.getSettings();
    } catch (error) {
      throw toDomainException(error, 'read index settings');
    }
    const changes: MeiliSettings = {};
    for (const [key, wanted] of Object.entries(PAGE_INDEX_SETTINGS)) {
      const actual = (current as Record<string, unknown>)[key];
      if (!sameSetting(actual, wanted, UNORDERED.has(key))) {
        (changes as Record<string, unknown>)[key] = wanted;
      }
    }
    if (Object.keys(changes).length === 0) return;
    await this.runTask(() => this.index.updateSettings(changes).waitTask(), 'update index settings');
  }

  async upsertPages(pages: PageIndexDocument[]): Promise<void> {
    if (pages.length === 0) return;
    const enqueued = [];
    try {
      for (let i = 0; i < pages.length; i += UPSERT_BATCH) {
        // Enqueue every batch before waiting: Meilisearch merges queued additions into one batch.
        const task = this.index.addDocuments(pages.slice(i, i + UPSERT_BATCH).map(toStored), {
          primaryKey: PRIMARY_KEY,
        });
        enqueued.push(task);
        await task;
      }
    } catch (error) {
      throw toDomainException(error, 'index pages');
    }
    for (const task of enqueued) {
      await this.runTask(() => task.waitTask(), 'index pages');
    }
  }

  async deleteDocument(documentId: string): Promise<void> {
    await this.runTask(
      () => this.index.deleteDocuments({ filter: `document_id = ${quoteFilterValue(documentId)}` }).waitTask(),
      'delete document pages',
    );
  }

  async replaceDocument(documentId: string, pages: PageIndexDocument[]): Promise<void> {
    // Listed while the new pages are being added (before or after makes no difference: the new
    // ids are kept either way), so the listing costs no time of its own.
    const [, listed] = await Promise.all([this.upsertPages(pages), this.pageIdsOf(documentId)]);
    const keep = new Set(pages.map((p) => p.id));
    const stale = listed.filter((id) => !keep.has(id));
    if (stale.length > 0) {
      await this.runTask(() => this.index.deleteDocuments(stale).waitTask(), 'delete stale pages');
    }
  }

  async listPageIds(offset: number, limit: number): Promise<string[]> {
    try {
      const batch = await this.index.getDocuments<{ id: string }>({ fields: ['id'], limit, offset });
      return batch.results.map((d) => d.id);
    } catch (error) {
      if (describeMeiliError(error).code === 'index_not_found') return [];
      throw toDomainException(error, 'list pages');
    }
  }

  /** Pages in the index (0 before anything was indexed). */
  async countPages(): Promise<number> {
    try {
      return (await this.index.getStats()).numberOfDocuments;
    } catch (error) {
      if (describeMeiliError(error).code === 'index_not_found') return 0;
      throw toDomainException(error, 'count pages');
    }
  }

  async deletePages(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.runTask(() => this.index.deleteDocuments(ids).waitTask(), 'delete pages');
  }

  async pageIdsOf(documentId: string): Promise<string[]> {
    const ids: string[] = [];
    try {
      for (let offset = 0; ; offset += UPSERT_BATCH) {
        const batch = await this.index.getDocuments<{ id: string }>({
          filter: `document_id = ${quoteFilterValue(documentId)}`,
          fields: ['id'],
          limit: UPSERT_BATCH,
          offset,
        });
        ids.push(...batch.results.map((d) => d.id));
        if (batch.results.length < UPSERT_BATCH) return ids;
      }
    } catch (error) {
      if (describeMeiliError(error).code === 'index_not_found') return ids;
      throw toDomainException(error, 'list the pages of a document');
    }
  }

  async deleteAll(): Promise<void> {
    await this.runTask(() => this.index.deleteAllDocuments().waitTask(), 'delete all pages');
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    const filter = buildFilter(query);
    const abandon = new AbortController();
    const watch = setTimeout(
      () =>
        void this.answersHealth(HEALTH_PROBE_MS).then((alive) => {
          if (!alive) abandon.abort(new DOMException('The search engine does not answer', 'TimeoutError'));
        }),
      Math.max(0, this.searchTimeoutMs - HEALTH_PROBE_MS),
    );
    const positions = query.matchPositions !== false;
    try {
      const response = await this.index.search<PageHit>(
        buildEngineQuery(foldForSearch(query.q).folded, query.matching),
        {
          filter,
          limit: query.limit,
          offset: query.offset,
          sort: SORTS[query.sort ?? 'relevance'],
          attributesToRetrieve: positions ? RETRIEVED : RETRIEVED_IDS,
          showMatchesPosition: positions,
          showRankingScore: true,
          ...(query.facets?.length ? { facets: query.facets } : {}),
          ...(query.distinctDocument ? { distinct: 'document_id' } : {}),
        },
        { signal: abandon.signal },
      );
      return {
        hits: response.hits.map((hit) => ({
          pageId: hit.id,
          documentId: hit.document_id,
          pageNumber: hit.page_number,
          rankingScore: hit._rankingScore,
          createdAt: hit.created_at,
          ...(!positions
            ? { content: '', matches: [] }
            : printedMatches(
                hit,
                utf8SpansToUtf16(
                  hit.content,
                  (hit._matchesPosition?.content ?? []).map(({ start, length }) => ({ start, length })),
                ),
              )),
        })),
        estimatedTotalHits: response.estimatedTotalHits ?? response.hits.length,
        processingTimeMs: response.processingTimeMs,
        ...(response.facetDistribution ? { facetDistribution: response.facetDistribution } : {}),
      };
    } catch (error) {
      // Nothing was ever indexed (ensureSettings not run yet): an empty result, not an outage.
      if (describeMeiliError(error).code === 'index_not_found') {
        return { hits: [], estimatedTotalHits: 0, processingTimeMs: 0 };
      }
      throw toDomainException(error, 'search');
    } finally {
      clearTimeout(watch);
    }
  }

  private answersHealth(withinMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.client.isHealthy(),
      new Promise<boolean>((done) => {
        timer = setTimeout(() => done(false), withinMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  isHealthy(): Promise<boolean> {
    return this.client.isHealthy();
  }

  /** Releases pooled connections. */
  close(): void {
    this.keepAlive.close();
  }

  onModuleDestroy(): void {
    this.close();
  }

  private async ensureIndex(): Promise<void> {
    let primaryKey: string | undefined;
    try {
      primaryKey = (await this.client.getIndex(this.indexName)).primaryKey;
    } catch (error) {
      if (describeMeiliError(error).code !== 'index_not_found') {
        throw toDomainException(error, 'read the index');
      }
      // API and worker may both get here on first start; the loser sees index_already_exists.
      const task = await this.waitFor(
        () => this.client.createIndex(this.indexName, { primaryKey: PRIMARY_KEY }).waitTask(),
        'create the index',
      );
      if (task.status === 'succeeded' || task.error?.code === 'index_already_exists') return;
      throw taskFailure(task, 'create the index');
    }
    if (primaryKey == null) {
      await this.runTask(
        () => this.client.updateIndex(this.indexName, { primaryKey: PRIMARY_KEY }).waitTask(),
        'set the primary key',
      );
    } else if (primaryKey !== PRIMARY_KEY) {
      throw new DomainException(
        ErrorCode.Internal,
        `Search index "${this.indexName}" has primary key "${primaryKey}", expected "${PRIMARY_KEY}".`,
      );
    }
  }

  private async runTask(run: () => Promise<MeiliTask>, action: string): Promise<void> {
    const task = await this.waitFor(run, action);
    if (task.status !== 'succeeded') throw taskFailure(task, action);
  }

  private async waitFor(run: () => Promise<MeiliTask>, action: string): Promise<MeiliTask> {
    try {
      return await run();
    } catch (error) {
      throw toDomainException(error, action);
    }
  }
}

function sameSetting(actual: unknown, wanted: readonly string[], unordered: boolean): boolean {
  if (!Array.isArray(actual) || actual.length !== wanted.length) return false;
  const a = unordered ? [...actual].sort() : actual;
  const b = unordered ? [...wanted].sort() : wanted;
  return a.every((value, i) => value === b[i]);
}
