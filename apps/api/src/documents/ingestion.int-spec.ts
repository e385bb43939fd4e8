/**
 * Ingestion on the HTTP contract: multipart and JSON uploads, duplicates and Idempotency-Key, the
 * type from the bytes, limits, hostile names and fields, and URLs refused by the address policy.
 */
import { expectProblem, pngPixelBomb, uniquePng } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useContractApi } from '../api-contract.fixture';

const api = useContractApi('ingestion');

describe('ingestion', () => {
  it('accepts a multipart upload with 202, Location and the contract shape', async () => {
    const res = await api
      .asA(api.http.post('/v1/documents'))
      .field('alias', 'box-7')
      .field('metadata', JSON.stringify({ box: 7, shelf: 'B', sealed: true }))
      .attach('file', uniquePng(), 'scan.png');
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
    const bytes = uniquePng();
    const first = await api.asA(api.http.post('/v1/documents')).send({
      file_base64: bytes.toString('base64'),
      filename: 'a.png',
    });
    expect(first.status).toBe(202);
    const again = await api.asA(api.http.post('/v1/documents')).attach('file', bytes, 'b.png');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, document: { id: first.body.document.id } });
  });

  it('replays the first answer for a retried Idempotency-Key and creates nothing new', async () => {
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const bytes = uniquePng();
    const first = await api
      .asA(api.http.post('/v1/documents'))
      .set('Idempotency-Key', key)
      .attach('file', bytes, 'x.png');
    const retry = await api
      .asA(api.http.post('/v1/documents'))
      .set('Idempotency-Key', key)
      .attach('file', bytes, 'x.png');
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body.document.id).toBe(first.body.document.id);
  });

  it('detects the type from the bytes: a text file named .pdf is 415', async () => {
    expectProblem(
      await api.asA(api.http.post('/v1/documents')).attach('file', Buffer.from('not a pdf'), 'x.pdf'),
      415,
      'unsupported_media_type',
    );
  });

  it('answers an empty file, a missing file and bad metadata with 422 and pointers', async () => {
    expectProblem(
      await api.asA(api.http.post('/v1/documents')).attach('file', Buffer.alloc(0), 'e.png'),
      422,
      'empty_file',
    );
    expectProblem(await api.asA(api.http.post('/v1/documents')).field('alias', 'x'), 422, 'validation_failed');
    const bad = await api
      .asA(api.http.post('/v1/documents'))
      .field('metadata', '{"nested":{"a":1}}')
      .attach('file', uniquePng(), 'm.png');
    expectProblem(bad, 422, 'validation_failed');
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/metadata' })]));
    expectProblem(
      await api.asA(api.http.post('/v1/documents')).send({ file_base64: '%%%not base64%%%' }),
      422,
      'validation_failed',
    );
    expectProblem(
      await api.asA(api.http.post('/v1/documents')).set('Content-Type', 'application/json').send('{"broken'),
      422,
      'validation_failed',
    );
  });

  it('answers a file over the limit with 413, and keeps nothing of it', async () => {
    expectProblem(
      await api
        .asA(api.http.post('/v1/documents'))
        .attach('file', Buffer.concat([uniquePng(), Buffer.alloc(300_000)]), 'big.png'),
      413,
      'payload_too_large',
    );
    expectProblem(
      await api.asA(api.http.post('/v1/documents')).send({ file_base64: Buffer.alloc(300_000).toString('base64') }),
      413,
      'payload_too_large',
    );
    expect(await readdir(join(api.services.dataDir, 'tmp'))).toEqual([]);
  });

  it('stores a hostile filename only as a display name', async () => {
    const res = await api.asA(api.http.post('/v1/documents')).attach('file', uniquePng(), '../../etc/passwd');
    expect(res.status).toBe(202);
    expect(res.body.document.filename).toBe('passwd');
    const json = await api.asA(api.http.post('/v1/documents')).send({
      file_base64: uniquePng().toString('base64'),
      filename: '..\\x\u0000\u001b.png',
    });
    expect(json.status).toBe(202);
    expect(json.body.document.filename).toBe('x.png');
  });

  it('answers a malformed multipart body (control characters in a part header) with 422', async () => {
    expectProblem(
      await api.asA(api.http.post('/v1/documents')).attach('file', uniquePng(), 'bad\u0007name.png'),
      422,
      'validation_failed',
    );
  });

  it('accepts a pixel bomb at the door (it fails in the worker, with a reason)', async () => {
    expect((await api.asA(api.http.post('/v1/documents')).attach('file', pngPixelBomb(), 'bomb.png')).status).toBe(202);
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
    const res = await api.asA(api.http.post('/v1/documents')).send({ url });
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
      const res = await api
        .asA(api.http.post('/v1/documents'))
        .send({ file_base64: uniquePng().toString('base64'), ...fields });
      expectProblem(res, 422, 'validation_failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    }
    const huge = await api
      .asA(api.http.post('/v1/documents'))
      .field('metadata', JSON.stringify({ a: 'x'.repeat(300 * 1024) }))
      .attach('file', uniquePng(), 'm.png');
    expectProblem(huge, 422, 'validation_failed');
    expect(await readdir(join(api.services.dataDir, 'tmp'))).toEqual([]);
  });
});
