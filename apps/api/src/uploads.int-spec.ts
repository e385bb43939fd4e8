/**
 * Upload and reprocess requests a client gets wrong, on real Postgres, Redis and Meilisearch (no
 * worker: OCR is not the subject): an Idempotency-Key reused for another request, multipart forms
 * that do not follow the contract, and a reprocess with an engine no worker runs.
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { ProviderAnnouncements } from '@recto/queue';
import { expectProblem, startTestServices, TestServices, uniquePng } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

const KEY = 'uploads-0123456789';
const png = uniquePng;

let services: TestServices;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  services = await startTestServices('uploads');
  const config = validateConfig(ApiConfig, { ...services.env, API_KEYS: `${KEY}:acme`, LOG_LEVEL: 'warn' });
  app = await createApiApp(config);
  await app.init();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await app?.close();
  await services?.stop();
});

const post = () => http.post('/v1/documents').set('Authorization', KEY);

describe('Idempotency-Key', () => {
  it('replays the same multipart request and refuses the key with another file or other fields', async () => {
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const bytes = png();
    const first = await post().set('Idempotency-Key', key).field('alias', 'a').attach('file', bytes, 'x.png');
    expect(first.status).toBe(202);
    const retry = await post().set('Idempotency-Key', key).field('alias', 'a').attach('file', bytes, 'x.png');
    expect(retry.status).toBe(202);
    expect(retry.body.document.id).toBe(first.body.document.id);

    const otherFile = await post().set('Idempotency-Key', key).field('alias', 'a').attach('file', png(), 'x.png');
    expectProblem(otherFile, 422, 'idempotency_key_reused');
    const otherAlias = await post().set('Idempotency-Key', key).field('alias', 'b').attach('file', bytes, 'x.png');
    expectProblem(otherAlias, 422, 'idempotency_key_reused');
    const otherName = await post().set('Idempotency-Key', key).field('alias', 'a').attach('file', bytes, 'y.png');
    expectProblem(otherName, 422, 'idempotency_key_reused');

    // The refused files were not ingested under any key either.
    const list = await http.get('/v1/documents').set('Authorization', KEY);
    expect(list.body.documents.map((d: { id: string }) => d.id)).toContain(first.body.document.id);
  });

  it('compares JSON (base64) requests the same way', async () => {
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const body = { file_base64: png().toString('base64'), filename: 'j.png', metadata: { box: 7, shelf: 'B' } };
    const first = await post().set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(202);
    // Same request with its metadata keys in another order: the same request.
    const retry = await post()
      .set('Idempotency-Key', key)
      .send({ ...body, metadata: { shelf: 'B', box: 7 } });
    expect(retry.status).toBe(202);
    expect(retry.body.document.id).toBe(first.body.document.id);
    expectProblem(
      await post()
        .set('Idempotency-Key', key)
        .send({ ...body, file_base64: png().toString('base64') }),
      422,
      'idempotency_key_reused',
    );
    expectProblem(
      await post()
        .set('Idempotency-Key', key)
        .send({ ...body, metadata: { box: 8, shelf: 'B' } }),
      422,
      'idempotency_key_reused',
    );
  });
});

describe('multipart mistakes', () => {
  it('says in plain words which part is wrong', async () => {
    const wrongName = await post().attach('scan', png(), 'x.png');
    expectProblem(wrongName, 422, 'validation_failed');
    expect(wrongName.body.detail).toBe("Unexpected file field 'scan': send the scan in a part named 'file'.");

    const twoFiles = await post().attach('file', png(), 'x.png').attach('file', png(), 'y.png');
    expectProblem(twoFiles, 422, 'validation_failed');
    expect(twoFiles.body.detail).toContain("Only one file per upload: send a single part named 'file'");

    const longField = await post()
      .field('metadata', 'x'.repeat(300 * 1024))
      .attach('file', png(), 'x.png');
    expectProblem(longField, 422, 'validation_failed');
    expect(longField.body.detail).toBe(`Field 'metadata' is longer than ${256 * 1024} bytes.`);

    let many = post();
    for (let i = 0; i < 21; i++) many = many.field(`f${i}`, 'v');
    const tooMany = await many.attach('file', png(), 'x.png');
    expectProblem(tooMany, 422, 'validation_failed');
    expect(tooMany.body.detail).toMatch(/^The form has too many (fields|parts): at most/);

    for (const res of [wrongName, twoFiles, longField, tooMany]) expect(res.body.detail).not.toMatch(/LIMIT_/);
  });
});

describe('reprocess', () => {
  it('refuses an engine no running worker has, up front, and accepts it once a worker announces it', async () => {
    const uploaded = await post().attach('file', png(), 'r.png');
    expect(uploaded.status).toBe(202);
    const id2 = uploaded.body.document.id as string;

    const refused = await http
      .post(`/v1/documents/${id2}/reprocess`)
      .set('Authorization', KEY)
      .send({ provider: 'mindee' });
    expectProblem(refused, 422, 'provider_not_available');
    expect(refused.body.detail).toContain('mindee');

    // What a worker with Mindee credentials does every few seconds.
    await app.get(ProviderAnnouncements).announce(['local', 'mindee']);
    const busy = await http
      .post(`/v1/documents/${id2}/reprocess`)
      .set('Authorization', KEY)
      .send({ provider: 'mindee' });
    // Accepted as far as the engine goes: the upload's own job is still queued, so it is busy.
    expectProblem(busy, 409, 'conflict');
  });
});
