/**
 * The generated client (@recto/api-client) against the real API on real Postgres, Redis and
 * Meilisearch: typed calls, multipart uploads, problem details as ApiRequestError.
 */
import { INestApplication } from '@nestjs/common';
import { ApiRequestError, createRectoClient, unwrap, uploadDocument } from '@recto/api-client';
import { ApiConfig, validateConfig } from '@recto/config';
import { startTestServices, TestServices, uniquePng } from '@recto/testing';
import { AddressInfo } from 'node:net';
import { createApiApp } from './bootstrap-api';

const KEY = 'client-key-0123456789';
const png = uniquePng;

let services: TestServices;
let app: INestApplication;
let baseUrl: string;

beforeAll(async () => {
  services = await startTestServices('api-client');
  const config = validateConfig(ApiConfig, { ...services.env, API_KEYS: `${KEY}:acme`, LOG_LEVEL: 'warn' });
  app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await services?.stop();
});

describe('the generated API client', () => {
  const client = () => createRectoClient({ baseUrl, apiKey: KEY });

  it('uploads a scan as multipart and reads it back, typed', async () => {
    const upload = await unwrap(
      uploadDocument(client(), {
        file: new Blob([new Uint8Array(png())]),
        filename: 'client.png',
        fields: { alias: 'from-the-client', metadata: JSON.stringify({ box: 7 }) },
      }),
    );
    expect(upload.document).toMatchObject({ filename: 'client.png', alias: 'from-the-client', status: 'Processing' });
    const { document } = await unwrap(
      client().GET('/v1/documents/{id}', { params: { path: { id: upload.document.id } } }),
    );
    expect(document.id).toBe(upload.document.id);
    expect(document.metadata).toEqual({ box: 7 });
    const list = await unwrap(client().GET('/v1/documents', { params: { query: { sha256: document.sha256 } } }));
    expect(list.documents.map((d) => d.id)).toEqual([document.id]);
  });

  it('answers a search with the typed hit list', async () => {
    const result = await unwrap(client().GET('/v1/search', { params: { query: { q: 'nothing-indexed-yet' } } }));
    expect(result.hits).toEqual([]);
  });

  it('throws problem details as ApiRequestError: a wrong key, an unknown document', async () => {
    const denied = createRectoClient({ baseUrl, apiKey: 'wrong-key-0123456789' });
    const refused = await unwrap(denied.GET('/v1/stats')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiRequestError);
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized', transient: false });

    const missing = await unwrap(
      client().GET('/v1/documents/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }),
    ).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'document_not_found' });
    expect((missing as ApiRequestError).message).toMatch(/document/i);
  });

  it('says the server cannot be reached, as a transient error', async () => {
    const down = createRectoClient({ baseUrl: 'http://127.0.0.1:9' });
    const error = await unwrap(down.GET('/v1/stats')).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, transient: true });
    expect((error as Error).message).toContain('cannot reach http://127.0.0.1:9');
  });
});
