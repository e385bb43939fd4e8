import { FactoryProvider, Provider } from '@nestjs/common';
import { MeilisearchAdapter } from './adapters/meilisearch/meilisearch.adapter';
import { SEARCH_INDEX } from './search-index.interface';
import { SearchModule } from './search.module';

// Only the SEARCH_INDEX part of the module is checked here, without the services that need a
// database.
function searchIndexProvider(providers: Provider[] | undefined): FactoryProvider {
  const provider = providers?.find(
    (p): p is FactoryProvider => typeof p === 'object' && 'provide' in p && p.provide === SEARCH_INDEX,
  );
  if (!provider) throw new Error('SEARCH_INDEX is not provided');
  return provider;
}

describe('SearchModule', () => {
  it('provides and exports SEARCH_INDEX as a Meilisearch adapter', async () => {
    const dynamic = SearchModule.forRoot({ url: 'http://127.0.0.1:1', indexName: 'x' });
    expect(dynamic.exports).toContain(SEARCH_INDEX);
    const index = (await searchIndexProvider(dynamic.providers).useFactory()) as MeilisearchAdapter;
    expect(index).toBeInstanceOf(MeilisearchAdapter);
    expect(index.indexName).toBe('x');
    index.close();
  });

  it('closes the pooled connections when Nest destroys the module', () => {
    const index = new MeilisearchAdapter({ url: 'http://127.0.0.1:1' });
    const close = jest.spyOn(index, 'close');
    index.onModuleDestroy();
    expect(close).toHaveBeenCalled();
  });
});
