import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedMeilisearch, startEmbeddedMeilisearch } from '@recto/embedded-services';
import { PageIndexDocument } from '../../search-index.interface';
import { createKeepAliveHttpClient, KeepAliveHttpClient } from './keep-alive-http.client';
import { MeiliSearch, MeiliSearchApiError } from './meilisearch.client';
import { MeilisearchAdapter } from './meilisearch.adapter';

// The project-level testTimeout in jest.config.js is not honoured by Jest 29.
jest.setTimeout(180_000);

describe('keep-alive httpClient (real Meilisearch)', () => {
  let dataDir: string;
  let meili: EmbeddedMeilisearch;
  let keepAlive: KeepAliveHttpClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'recto-keepalive-'));
    meili = await startEmbeddedMeilisearch({ dataDir, port: 0 });
    keepAlive = createKeepAliveHttpClient();
  });

  afterAll(async () => {
    keepAlive?.close();
    await meili?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const clientWith = (httpClient?: KeepAliveHttpClient['httpClient']) =>
    new MeiliSearch({ host: meili.url, apiKey: meili.masterKey, httpClient });

  it('returns the same parsed bodies as the default fetch path', async () => {
    const viaFetch = clientWith();
    const viaKeepAlive = clientWith(keepAlive.httpClient);
    expect(await viaKeepAlive.health()).toEqual(await viaFetch.health());
    expect(await viaKeepAlive.getVersion()).toEqual(await viaFetch.getVersion());
    const task = await viaKeepAlive.createIndex('ka', { primaryKey: 'id' }).waitTask({ timeout: 120_000 });
    expect(task.status).toBe('succeeded');
    const docs = await viaKeepAlive
      .index('ka')
      .addDocuments([{ id: 1, t: 'ü 😀' }])
      .waitTask({ timeout: 120_000 });
    expect(docs.status).toBe('succeeded');
    expect(await viaKeepAlive.index('ka').getDocument(1)).toEqual({ id: 1, t: 'ü 😀' });
  });

  it('raises API errors like the client does (wrapped, with status and error body)', async () => {
    const fetchError = await clientWith()
      .getIndex('missing')
      .catch((e: unknown) => e);
    const keepAliveError = await clientWith(keepAlive.httpClient)
      .getIndex('missing')
      .catch((e: unknown) => e);

    expect(fetchError).toBeInstanceOf(MeiliSearchApiError);
    // The client wraps whatever a custom httpClient throws in a MeiliSearchRequestError.
    const inner = (keepAliveError as { cause: unknown }).cause;
    expect((keepAliveError as Error).name).toBe('MeiliSearchRequestError');
    expect(inner).toBeInstanceOf(MeiliSearchApiError);
    const api = inner as InstanceType<typeof MeiliSearchApiError>;
    const reference = fetchError as InstanceType<typeof MeiliSearchApiError>;
    expect(api.message).toBe(reference.message);
    expect(api.cause).toEqual(reference.cause);
    expect(api.response.status).toBe(404);
  });

  it('answers realistic searches through both transports (timings printed, not asserted)', async () => {
    const setup = new MeilisearchAdapter({
      url: meili.url,
      apiKey: meili.masterKey,
      indexName: 'bench',
    });
    await setup.ensureSettings();
    const vocabulary =
      'invoice contract total amount payment due date customer supplier address tax net gross order delivery reference account bank transfer signature'.split(
        ' ',
      );
    const pages: PageIndexDocument[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: `p${i}`,
      tenant_id: 't',
      document_id: `d${Math.floor(i / 10)}`,
      page_number: (i % 10) + 1,
      content: Array.from({ length: 250 }, (_, w) => vocabulary[(i * 31 + w * 17) % vocabulary.length]).join(' '),
      filename: 'f.pdf',
      mime_type: 'application/pdf',
      created_at: 0,
      metadata: {},
    }));
    await setup.upsertPages(pages);
    setup.close();

    const medians: Record<string, number> = {};
    for (const transport of ['fetch', 'keep-alive'] as const) {
      const adapter = new MeilisearchAdapter({
        url: meili.url,
        apiKey: meili.masterKey,
        indexName: 'bench',
        transport,
      });
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const started = performance.now();
        const result = await adapter.search({
          q: vocabulary[i % 8],
          tenantId: 't',
          limit: 10,
          offset: 0,
        });
        if (i >= 10) times.push(performance.now() - started);
        expect(result.hits).toHaveLength(10);
      }
      adapter.close();
      medians[transport] = times.sort((a, b) => a - b)[times.length >> 1];
    }
    console.log(
      `search median over 50 queries on 2,000 pages: fetch ${medians.fetch.toFixed(1)} ms, keep-alive ${medians['keep-alive'].toFixed(1)} ms`,
    );
    // Timing is reported, not asserted (a shared, noisy machine): bench/ compares the two.
  });
});
