/**
 * The HTTP contract on real Postgres, Redis and Meilisearch (no worker: OCR is not the subject).
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, loadConfig, TestConfig, validateConfig } from '@recto/config';
import { createTestDatabase, pngPixelBomb, TestDatabase, TestMeilisearch, useTestMeilisearch } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

const KEY_A = 'key-a-0123456789';
const KEY_B = 'key-b-0123456789';
const png = () => Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(64)]);

let db: TestDatabase;
let meili: TestMeilisearch;
let dataDir: string;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  db = await createTestDatabase('api');
  meili = await useTestMeilisearch();
  dataDir = await mkdtemp(join(tmpdir(), 'recto-api-'));
  const suffix = randomBytes(4).toString('hex');
  const config = validateConfig(ApiConfig, {
    DATABASE_URL: db.url,
    REDIS_URL: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.apiKey,
    MEILI_INDEX: `api_${suffix}`,
    QUEUE_PREFIX: `api_${suffix}`,
    DATA_DIR: dataDir,
    MAX_UPLOAD_BYTES: '200000',
    API_KEYS: `${KEY_A}:acme,${KEY_B}:globex`,
    LOG_LEVEL: 'warn',
  });
  app = await createApiApp(config);
  await app.init();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await app?.close();
  await meili?.stop();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const asA = (r: request.Test) => r.set('Authorization', KEY_A);
const expectProblem = (res: request.Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({
    status,
    code,
    title: expect.any(String),
    detail: expect.any(String),
    errors: expect.any(Array),
  });
};

describe('authentication', () => {
  it('refuses a missing or wrong key with 401 problem details', async () => {
    expectProblem(await http.get('/v1/documents'), 401, 'unauthorized');
    expectProblem(await http.get('/v1/documents').set('Authorization', 'wrong-key-123456'), 401, 'unauthorized');
  });

  it('accepts a bare key and a Bearer key', async () => {
    expect((await http.get('/v1/documents').set('Authorization', KEY_A)).status).toBe(200);
    expect((await http.get('/v1/documents').set('Authorization', `Bearer ${KEY_A}`)).status).toBe(200);
  });

  it('leaves health, metrics and docs open', async () => {
    expect((await http.get('/health')).body).toEqual({ status: 'ok' });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'up', redis: 'up', meilisearch: 'up' });
    expect((await http.get('/metrics')).text).toContain('recto_http_request_duration_seconds');
    const openApi = await http.get('/docs-json');
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/documents', '/v1/search', '/v1/documents/{id}/search']),
    );
  });
});

describe('ingestion', () => {
  it('accepts a multipart upload with 202, Location and the contract shape', async () => {
    const res = await asA(http.post('/v1/documents'))
      .field('alias', 'box-7')
      .field('metadata', JSON.stringify({ box: 7, shelf: 'B', sealed: true }))
      .attach('file', png(), 'scan.png');
    expect(res.status).toBe(202);
    const doc = res.body.document;
    expect(res.headers.location).toBe(`/v1/documents/${doc.id}`);
    expect(doc).toMatchObject({
      filename: 'scan.png',
      alias: 'box-7',
      metadata: { box: 7, shelf: 'B', sealed: true },
      mime_type: 'image/png',
      size_bytes: 80,
      status: 'Processing',
      page_count: null,
      ocr_provider: 'local',
      completed_at: null,
      error: null,
    });
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.polling_url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/v1/documents/${doc.id}$`));
  });

  it('accepts JSON file_base64, and answers identical bytes with 200 duplicate', async () => {
    const bytes = png();
    const first = await asA(http.post('/v1/documents')).send({
      file_base64: bytes.toString('base64'),
      filename: 'a.png',
    });
    expect(first.status).toBe(202);
    const again = await asA(http.post('/v1/documents')).attach('file', bytes, 'b.png');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, document: { id: first.body.document.id } });
  });

  it('replays the first answer for a retried Idempotency-Key and creates nothing new', async () => {
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const first = await asA(http.post('/v1/documents')).set('Idempotency-Key', key).attach('file', png(), 'x.png');
    const retry = await asA(http.post('/v1/documents')).set('Idempotency-Key', key).attach('file', png(), 'y.png');
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body.document.id).toBe(first.body.document.id);
  });

  it('detects the type from the bytes: a text file named .pdf is 415', async () => {
    expectProblem(
      await asA(http.post('/v1/documents')).attach('file', Buffer.from('not a pdf'), 'x.pdf'),
      415,
      'unsupported_media_type',
    );
  });

  it('answers an empty file, a missing file and bad metadata with 422 and pointers', async () => {
    expectProblem(await asA(http.post('/v1/documents')).attach('file', Buffer.alloc(0), 'e.png'), 422, 'empty_file');
    expectProblem(await asA(http.post('/v1/documents')).field('alias', 'x'), 422, 'validation_failed');
    const bad = await asA(http.post('/v1/documents'))
      .field('metadata', '{"nested":{"a":1}}')
      .attach('file', png(), 'm.png');
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/metadata' })]));
    expectProblem(
      await asA(http.post('/v1/documents')).send({ file_base64: '%%%not base64%%%' }),
      422,
      'validation_failed',
    );
    expectProblem(
      await asA(http.post('/v1/documents')).set('Content-Type', 'application/json').send('{"broken'),
      422,
      'validation_failed',
    );
  });

  it('answers a file over the limit with 413, and keeps nothing of it', async () => {
    expectProblem(
      await asA(http.post('/v1/documents')).attach('file', Buffer.concat([png(), Buffer.alloc(300_000)]), 'big.png'),
      413,
      'payload_too_large',
    );
    expectProblem(
      await asA(http.post('/v1/documents')).send({ file_base64: Buffer.alloc(300_000).toString('base64') }),
      413,
      'payload_too_large',
    );
    expect(await readdir(join(dataDir, 'tmp'))).toEqual([]);
  });

  it('stores a hostile filename only as a display name', async () => {
    const res = await asA(http.post('/v1/documents')).attach('file', png(), '../../etc/passwd');
    expect(res.status).toBe(202);
    expect(res.body.document.filename).toBe('passwd');
    const json = await asA(http.post('/v1/documents')).send({
      file_base64: png().toString('base64'),
      filename: '..\\x\u0000\u001b.png',
    });
    expect(json.status).toBe(202);
    expect(json.body.document.filename).toBe('x.png');
  });

  it('answers a malformed multipart body (control characters in a part header) with 422', async () => {
    expectProblem(
      await asA(http.post('/v1/documents')).attach('file', png(), 'bad\u0007name.png'),
      422,
      'validation_failed',
    );
  });

  it('accepts a pixel bomb at the door (it fails in the worker, with a reason)', async () => {
    expect((await asA(http.post('/v1/documents')).attach('file', pngPixelBomb(), 'bomb.png')).status).toBe(202);
  });
});

describe('reading back', () => {
  it('gets, lists with a cursor, serves the original bytes and deletes', async () => {
    const bytes = png();
    const id = (await asA(http.post('/v1/documents')).attach('file', bytes, 'read.png')).body.document.id;
    expect((await asA(http.get(`/v1/documents/${id}`))).body.document.id).toBe(id);

    const page1 = await asA(http.get('/v1/documents?limit=2'));
    expect(page1.body.documents).toHaveLength(2);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await asA(http.get(`/v1/documents?limit=2&cursor=${page1.body.next_cursor}`));
    const ids1 = page1.body.documents.map((d: { id: string }) => d.id);
    expect(page2.body.documents.every((d: { id: string }) => !ids1.includes(d.id))).toBe(true);
    expect((await asA(http.get('/v1/documents?status=Processed'))).body.documents).toEqual([]);
    expectProblem(await asA(http.get('/v1/documents?status=Done')), 422, 'validation_failed');
    expectProblem(await asA(http.get('/v1/documents?cursor=garbage')), 422, 'validation_failed');

    const file = await asA(http.get(`/v1/documents/${id}/file`)).buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(file.body as Buffer, bytes)).toBe(0);

    expectProblem(await asA(http.get(`/v1/documents/${id}/pages/1`)), 404, 'page_not_found');
    expect((await asA(http.delete(`/v1/documents/${id}`))).status).toBe(204);
    expectProblem(await asA(http.get(`/v1/documents/${id}`)), 404, 'document_not_found');
  });

  it('answers unknown and malformed ids with 404, and unknown routes with problem details', async () => {
    expectProblem(await asA(http.get('/v1/documents/00000000-0000-4000-8000-000000000000')), 404, 'document_not_found');
    expectProblem(await asA(http.get('/v1/documents/not-a-uuid')), 404, 'document_not_found');
    expectProblem(await asA(http.get('/v1/nothing-here')), 404, 'not_found');
  });

  it("answers another tenant's document exactly like a missing one", async () => {
    const id = (await asA(http.post('/v1/documents')).attach('file', png(), 'secret.png')).body.document.id;
    const asB = (r: request.Test) => r.set('Authorization', KEY_B);
    for (const path of [
      `/v1/documents/${id}`,
      `/v1/documents/${id}/file`,
      `/v1/documents/${id}/pages/1`,
      `/v1/documents/${id}/search?q=x`,
    ]) {
      expectProblem(await asB(http.get(path)), 404, 'document_not_found');
    }
    expectProblem(await asB(http.delete(`/v1/documents/${id}`)), 404, 'document_not_found');
    expectProblem(await asB(http.post(`/v1/documents/${id}/reprocess`)), 404, 'document_not_found');
    expect((await asB(http.get('/v1/documents'))).body.documents).toEqual([]);
  });
});

describe('search', () => {
  it('validates its parameters', async () => {
    expectProblem(await asA(http.get('/v1/search')), 422, 'validation_failed');
    expectProblem(await asA(http.get('/v1/search?q=a&limit=0')), 422, 'validation_failed');
    expectProblem(await asA(http.get('/v1/search?q=a&document_id=nope')), 422, 'validation_failed');
  });

  it('answers an empty result in the contract shape', async () => {
    const res = await asA(http.get('/v1/search?q=zzyzx&metadata.shelf=B'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      query: 'zzyzx',
      limit: 20,
      offset: 0,
      estimated_total_hits: 0,
      processing_time_ms: expect.any(Number),
      hits: [],
    });
  });
});
