/**
 * The HTTP contract on real Postgres, Redis and Meilisearch (no worker: OCR is not the subject).
 */
import { INestApplication } from '@nestjs/common';
import { ApiKeyService } from '@recto/auth';
import { ApiConfig, validateConfig } from '@recto/config';
import { pngPixelBomb, startTestServices, storeWords, TestServices, uniquePng } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { autocompleteV1Shape, autocompleteV2Shape, manifestV3Shape, searchV1Shape, searchV2Shape } from '@recto/iiif';
import Ajv from 'ajv';
import { createApiApp } from './bootstrap-api';

const KEY_A = 'key-a-0123456789';
const KEY_B = 'key-b-0123456789';
const png = uniquePng;

let services: TestServices;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  services = await startTestServices('api');
  const config = validateConfig(ApiConfig, {
    ...services.env,
    MAX_UPLOAD_BYTES: '200000',
    API_KEYS: `${KEY_A}:acme,${KEY_B}:globex`,
    API_KEY_CACHE_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  app = await createApiApp(config);
  await app.init();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await app?.close();
  await services?.stop();
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

  it('refuses a body without a valid key before reading it', async () => {
    const malformed = '{"content": "not closed';
    // Parsed first, this would be a JSON syntax error; refused first, it is a 401.
    const anonymous = await http.post('/v1/documents').set('Content-Type', 'application/json').send(malformed);
    expectProblem(anonymous, 401, 'unauthorized');
    expect(anonymous.headers.connection).toBe('close');
    const wrongKey = await http
      .post('/v1/documents')
      .set('Authorization', 'wrong-key-123456')
      .set('Content-Type', 'application/json')
      .send(malformed);
    expectProblem(wrongKey, 401, 'unauthorized');
    const large = await http
      .post('/v1/documents/00000000-0000-4000-8000-000000000000/reprocess')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ provider: 'x'.repeat(3_000_000) }));
    expectProblem(large, 401, 'unauthorized');
    // With the key, the same malformed body reaches the parser.
    const parsed = await asA(http.post('/v1/documents').set('Content-Type', 'application/json').send(malformed));
    expect(parsed.status).toBe(422);
    expect(parsed.headers['content-type']).toContain('application/problem+json');
    // The key is looked up once: the guard takes the caller found before the body was read.
    const resolve = jest.spyOn(app.get(ApiKeyService), 'resolve');
    try {
      const missing = await asA(
        http.post('/v1/documents/00000000-0000-4000-8000-000000000000/reprocess').send({ provider: 'local' }),
      );
      expect(missing.status).toBe(404);
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
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
    const bytes = png();
    const first = await asA(http.post('/v1/documents')).set('Idempotency-Key', key).attach('file', bytes, 'x.png');
    const retry = await asA(http.post('/v1/documents')).set('Idempotency-Key', key).attach('file', bytes, 'x.png');
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
    expect(await readdir(join(services.dataDir, 'tmp'))).toEqual([]);
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
    // Every route with a document id, as the OpenAPI document lists them (new routes included).
    const paths = (await http.get('/docs-json')).body.paths as Record<string, Record<string, unknown>>;
    const routes = Object.entries(paths)
      .filter(([path]) => path.includes('{id}'))
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => [
          method,
          path.replace(/\{id\}/g, id).replace(/\{\w+\}/g, '1') + (path.endsWith('/search') ? '?q=x' : ''),
        ]),
      );
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const [method, path] of routes) {
      const res = await asB((http as unknown as Record<string, (p: string) => request.Test>)[method](path));
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(JSON.stringify(res.body)).not.toContain('secret.png');
    }
    // B's delete and reprocess touched nothing of A's.
    const still = await asA(http.get(`/v1/documents/${id}`));
    expect(still.body.document).toMatchObject({ id, status: 'Processing' });
    expect((await asA(http.get(`/v1/documents/${id}/file`))).status).toBe(200);
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

describe('keys managed in the database', () => {
  it('authenticates a created key in its tenant, scopes it, and refuses it once revoked', async () => {
    const keys = app.get(ApiKeyService);
    const { key, record } = await keys.create('initech', 'int test');
    expect(key.startsWith(`${record.prefix}_`)).toBe(true);
    expect(JSON.stringify(await keys.list())).not.toContain(key);
    const asC = (r: request.Test) => r.set('Authorization', `Bearer ${key}`);
    const created = await asC(http.post('/v1/documents')).attach('file', png(), 'c.png');
    expect(created.status).toBe(202);
    const id = created.body.document.id;
    expect((await asC(http.get(`/v1/documents/${id}`))).status).toBe(200);
    expectProblem(await asA(http.get(`/v1/documents/${id}`)), 404, 'document_not_found');
    expectProblem(
      await asC(http.get(`/v1/documents/${(await asA(http.get('/v1/documents'))).body.documents[0].id}`)),
      404,
      'document_not_found',
    );

    expect((await keys.revoke(record.prefix)).map((k) => k.id)).toEqual([record.id]);
    expectProblem(await asC(http.get(`/v1/documents/${id}`)), 401, 'unauthorized');
    expect(await keys.revoke(record.prefix)).toEqual([]);
  });
});

describe('ingestion by URL (the real address policy)', () => {
  it.each([
    ['https://127.0.0.1/scan.png', 'loopback'],
    ['https://[::1]/scan.png', 'loopback'],
    ['https://[::ffff:169.254.169.254]/latest/meta-data', 'cloud metadata'],
    ['https://10.1.2.3/scan.png', 'private'],
    ['https://localhost/scan.png', 'loopback'],
    ['http://example.com/scan.png', 'https'],
  ])('refuses %s with 422 url_not_allowed', async (url, reason) => {
    const res = await asA(http.post('/v1/documents')).send({ url });
    expectProblem(res, 422, 'url_not_allowed');
    expect(res.body.detail).toContain(reason);
    expect(res.body.errors).toEqual([{ pointer: '/url', detail: 'not allowed' }]);
  });
});

describe('hostile fields', () => {
  it('refuses an oversized alias, filename or metadata with 422 and a pointer', async () => {
    const cases: [object, string][] = [
      [{ alias: 'a'.repeat(257) }, '/alias'],
      [{ filename: 'f'.repeat(1025) }, '/filename'],
      [{ metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) }, '/metadata'],
      [{ metadata: { note: 'x'.repeat(1025) } }, '/metadata'],
      [{ metadata: { 'bad key!': 1 } }, '/metadata'],
      [{ metadata: ['not', 'an', 'object'] }, '/metadata'],
    ];
    for (const [fields, pointer] of cases) {
      const res = await asA(http.post('/v1/documents')).send({ file_base64: png().toString('base64'), ...fields });
      expectProblem(res, 422, 'validation_failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    }
    const huge = await asA(http.post('/v1/documents'))
      .field('metadata', JSON.stringify({ a: 'x'.repeat(300 * 1024) }))
      .attach('file', png(), 'm.png');
    expectProblem(huge, 422, 'validation_failed');
    expect(await readdir(join(services.dataDir, 'tmp'))).toEqual([]);
  });
});

/** Stands in for the worker: stores words for a new document (pages of lines of words) and indexes its pages. */
async function processedWithWords(
  lines: string[][],
  more: { pages?: string[][][]; metadata?: object } = {},
): Promise<string> {
  const upload = asA(http.post('/v1/documents'));
  if (more.metadata) upload.field('metadata', JSON.stringify(more.metadata));
  const id = (await upload.attach('file', png(), 'iiif.png')).body.document.id as string;
  await storeWords(app, id, more.pages ?? [lines]);
  return id;
}

describe('search features', () => {
  it('groups by document with matching page counts, counts facets, sorts by creation and filters metadata', async () => {
    const tag = `ledger${randomBytes(3).toString('hex')}`;
    const older = await processedWithWords([], {
      pages: [[[tag, 'one']], [['nothing']], [[tag, 'three']]],
      metadata: { box: 1 },
    });
    await new Promise((r) => setTimeout(r, 20));
    const newer = await processedWithWords([[tag, 'again']], { metadata: { box: 2 } });

    const grouped = await asA(http.get(`/v1/search?q=${tag}&group=document&facets=metadata.box,mime_type`));
    expect(grouped.status).toBe(200);
    const byDoc = Object.fromEntries(
      grouped.body.hits.map((h: { document_id: string; matching_pages: number }) => [h.document_id, h.matching_pages]),
    );
    expect(byDoc).toEqual({ [older]: 2, [newer]: 1 });
    expect(grouped.body.facet_distribution).toEqual({
      'metadata.box': { '1': 2, '2': 1 },
      mime_type: { 'image/png': 3 },
    });

    const newestFirst = await asA(http.get(`/v1/search?q=${tag}&sort=created_at:desc`));
    expect(newestFirst.body.hits.map((h: { document_id: string; page: number }) => [h.document_id, h.page])).toEqual([
      [newer, 1],
      [older, 1],
      [older, 3],
    ]);
    const oldestFirst = await asA(http.get(`/v1/search?q=${tag}&sort=created_at:asc&limit=1&offset=1`));
    expect(oldestFirst.body.hits.map((h: { page: number }) => h.page)).toEqual([3]);

    const box2 = await asA(http.get(`/v1/search?q=${tag}&metadata.box=2`));
    expect(box2.body.hits.map((h: { document_id: string }) => h.document_id)).toEqual([newer]);
    expectProblem(await asA(http.get(`/v1/search?q=${tag}&facets=password`)), 422, 'validation_failed');
  });
  it('highlights the whole word for a typo-tolerant match, and words of non-Latin scripts', async () => {
    const id = await processedWithWords([
      ['Quarterly', 'tobacco', 'shipments'],
      ['東京', 'の', '会議', 'مرحبا', 'بالعالم', 'Ελλάδα', 'Москва'],
    ]);
    const typo = await asA(http.get(`/v1/documents/${id}/search?q=shipmnets`));
    expect(typo.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual(['shipments']);
    for (const word of ['東京', 'مرحبا', 'Ελλάδα', 'москва']) {
      const res = await asA(http.get(`/v1/documents/${id}/search?q=${encodeURIComponent(word)}`));
      expect(res.body.hits).toHaveLength(1);
      const contents = res.body.hits[0].highlights.map((h: { content: string }) => h.content.toLowerCase());
      expect(contents).toContain(word.toLowerCase());
    }
  });

  it('finds historical print by its modern spelling and highlights the words as printed', async () => {
    const id = await processedWithWords([
      ['Die', 'Geſellſchaft', 'der', 'Koͤnige'],
      ['ſtehen', 'uꝛſpruͤnglich', 'hier'],
    ]);
    for (const [q, printed] of [
      ['gesellschaft', 'Geſellſchaft'],
      ['Könige', 'Koͤnige'],
      ['ursprünglich', 'uꝛſpruͤnglich'],
      ['Geſellſchaft', 'Geſellſchaft'],
    ]) {
      const res = await asA(http.get(`/v1/documents/${id}/search?q=${encodeURIComponent(q)}`));
      expect(res.body.hits).toHaveLength(1);
      expect(res.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual([printed]);
      expect(res.body.hits[0].snippet).toContain(`<mark>${printed}</mark>`);
    }
  });
});

describe('IIIF', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const expectShape = (shape: object, body: unknown) => {
    const validate = ajv.compile(shape);
    expect(validate(body) ? [] : [body, validate.errors]).toEqual([]);
  };

  it('serves a manifest, Content Search 1.0 and 2.0 with xywh in canvas pixels, and autocomplete', async () => {
    const id = await processedWithWords([
      ['The', 'quick', 'brown', 'fox'],
      ['jumps', 'over', 'the', 'quiet', 'fox'],
    ]);
    const manifest = await asA(http.get(`/v1/documents/${id}/iiif/manifest`));
    expect(manifest.status).toBe(200);
    expect(manifest.headers['access-control-allow-origin']).toBe('*');
    expectShape(manifestV3Shape, manifest.body);
    expect(manifest.body.items[0]).toMatchObject({ width: 1000, height: 2000 });

    const v1 = await asA(http.get(`/v1/documents/${id}/iiif/search/1?q=fox&motivation=painting`));
    expect(v1.status).toBe(200);
    expectShape(searchV1Shape, v1.body);
    expect(v1.body.within).toMatchObject({ total: 2, ignored: ['motivation'] });
    // "fox" is word 4 of line 1 (x = 0.1 + 3 × 0.15 = 0.55, y = 0.1) on a 1000×2000 canvas.
    expect(v1.body.resources[0].on).toMatch(/#xywh=550,200,100,40$/);
    expect(v1.body.hits[0]).toMatchObject({
      match: 'fox',
      before: 'The quick brown ',
      after: ' jumps over the quiet fox',
    });

    const phrase = await asA(http.get(`/v1/documents/${id}/iiif/search/2?q=${encodeURIComponent('"quick brown"')}`));
    expectShape(searchV2Shape, phrase.body);
    expect(phrase.body.items).toHaveLength(1);
    expect(phrase.body.items[0].body.value).toBe('quick brown');

    const v1auto = await asA(http.get(`/v1/documents/${id}/iiif/autocomplete/1?q=qu`));
    expectShape(autocompleteV1Shape, v1auto.body);
    expect(v1auto.body.terms.map((t: { match: string }) => t.match)).toEqual(['quick', 'quiet']);
    const v2auto = await asA(http.get(`/v1/documents/${id}/iiif/autocomplete/2?q=qu`));
    expectShape(autocompleteV2Shape, v2auto.body);

    expectProblem(await asA(http.get(`/v1/documents/${id}/iiif/search/3?q=fox`)), 404, 'not_found');
    expectProblem(
      await http.get(`/v1/documents/${id}/iiif/manifest`).set('Authorization', KEY_B),
      404,
      'document_not_found',
    );
  });

  it('highlights only the phrase occurrence, and whole words for prefix matches, merged per line on request', async () => {
    const id = await processedWithWords([['quick', 'fox', 'and', 'a', 'quick', 'brown', 'fox']]);
    const phrase = await asA(http.get(`/v1/documents/${id}/search?q=${encodeURIComponent('"brown fox"')}`));
    expect(phrase.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual(['brown', 'fox']);
    const prefix = await asA(http.get(`/v1/documents/${id}/search?q=bro`));
    expect(prefix.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual(['brown']);
    const merged = await asA(
      http.get(`/v1/documents/${id}/search?q=${encodeURIComponent('"quick brown fox"')}&merge=line`),
    );
    const [region] = merged.body.hits[0].highlights;
    expect(merged.body.hits[0].highlights).toHaveLength(1);
    expect(region.content).toBe('quick brown fox');
    expect(region.words.map((w: { content: string }) => w.content)).toEqual(['quick', 'brown', 'fox']);
    expect(region.polygon[0][0]).toBeCloseTo(0.1 + 4 * 0.15, 6);
    expect(region.polygon[1][0]).toBeCloseTo(0.1 + 6 * 0.15 + 0.1, 6);
  });
});
