import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedMeilisearch, startEmbeddedMeilisearch } from '@recto/embedded-services';
import { createKeepAliveHttpClient, KeepAliveHttpClient } from './keep-alive-http.client';
import { MeiliSearch, MeiliSearchApiError } from './meilisearch.client';

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
});
