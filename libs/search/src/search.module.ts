import { DynamicModule, FactoryProvider, Module, ModuleMetadata } from '@nestjs/common';
import { MeilisearchAdapter, MeilisearchAdapterOptions } from './adapters/meilisearch/meilisearch.adapter';
import { SEARCH_INDEX } from './search-index.interface';
import { SearchService } from './search.service';

export type SearchModuleOptions = MeilisearchAdapterOptions;

export interface SearchModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => SearchModuleOptions | Promise<SearchModuleOptions>;
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
      providers: [{ provide: SEARCH_INDEX, useFactory: () => new MeilisearchAdapter(options) }, SearchService],
      exports: [SEARCH_INDEX, SearchService],
    };
  }

  static forRootAsync(options: SearchModuleAsyncOptions): DynamicModule {
    return {
      module: SearchModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: SEARCH_INDEX,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => new MeilisearchAdapter(await options.useFactory(...args)),
        },
        SearchService,
      ],
      exports: [SEARCH_INDEX, SearchService],
    };
  }
}
