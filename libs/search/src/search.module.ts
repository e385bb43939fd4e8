import { DynamicModule, Module } from '@nestjs/common';
import { MeilisearchAdapter, MeilisearchAdapterOptions } from './adapters/meilisearch/meilisearch.adapter';
import { SEARCH_INDEX, SearchIndex } from './search-index.interface';
import { SearchService } from './search.service';
import { ShardedSearchIndex } from './sharded/sharded-search.index';

export interface SearchModuleOptions extends Omit<MeilisearchAdapterOptions, 'url'> {
  /** One node (or `nodes`). */
  url?: string;
  /** Several nodes: documents are spread over them (MEILI_URLS); one: a plain index. */
  nodes?: { url: string; apiKey?: string }[];
}

/** The search index over the configured Meilisearch node(s). */
export function createSearchIndex(options: SearchModuleOptions): SearchIndex & { close(): void } {
  const { nodes: listed, url, apiKey, ...shared } = options;
  const nodes = listed?.length ? listed : [{ url: url ?? '', apiKey }];
  const adapters = nodes.map((node) => new MeilisearchAdapter({ ...shared, ...node }));
  if (adapters.length === 1) return adapters[0];
  return new ShardedSearchIndex(adapters.map((index, i) => ({ key: nodes[i].url.replace(/\/+$/, ''), index })));
}

/**
 * Provides `SEARCH_INDEX` (a `SearchIndex`). The adapter closes its pooled connections in
 * `onModuleDestroy`, which Nest calls on shutdown (with `enableShutdownHooks()` for signals).
 */
@Module({})
export class SearchModule {
  static forRoot(options: SearchModuleOptions): DynamicModule {
    return {
      module: SearchModule,
      global: true,
      providers: [{ provide: SEARCH_INDEX, useFactory: () => createSearchIndex(options) }, SearchService],
      exports: [SEARCH_INDEX, SearchService],
    };
  }
}
