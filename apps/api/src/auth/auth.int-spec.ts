/**
 * Authentication on the HTTP contract: keys from API_KEYS and from the database, a body refused
 * before it is read, and what stays open (health, metrics, docs).
 */
import { ApiKeyService } from '@recto/auth';
import { expectProblem, uniquePng } from '@recto/testing';
import request from 'supertest';
import { KEY_A, useContractApi } from '../api-contract.fixture';

const api = useContractApi('auth');

describe('authentication', () => {
  it('refuses a missing or wrong key with 401 problem details', async () => {
    expectProblem(await api.http.get('/v1/documents'), 401, 'unauthorized');
    expectProblem(await api.http.get('/v1/documents').set('Authorization', 'wrong-key-123456'), 401, 'unauthorized');
  });

  it('accepts a bare key and a Bearer key', async () => {
    expect((await api.http.get('/v1/documents').set('Authorization', KEY_A)).status).toBe(200);
    expect((await api.http.get('/v1/documents').set('Authorization', `Bearer ${KEY_A}`)).status).toBe(200);
  });

  it('refuses a body without a valid key before reading it', async () => {
    const malformed = '{"content": "not closed';
    // Parsed first, this would be a JSON syntax error; refused first, it is a 401.
    const anonymous = await api.http.post('/v1/documents').set('Content-Type', 'application/json').send(malformed);
    expectProblem(anonymous, 401, 'unauthorized');
    expect(anonymous.headers.connection).toBe('close');
    const wrongKey = await api.http
      .post('/v1/documents')
      .set('Authorization', 'wrong-key-123456')
      .set('Content-Type', 'application/json')
      .send(malformed);
    expectProblem(wrongKey, 401, 'unauthorized');
    const large = await api.http
      .post('/v1/documents/00000000-0000-4000-8000-000000000000/reprocess')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ provider: 'x'.repeat(3_000_000) }));
    expectProblem(large, 401, 'unauthorized');
    // With the key, the same malformed body reaches the parser.
    const parsed = await api.asA(
      api.http.post('/v1/documents').set('Content-Type', 'application/json').send(malformed),
    );
    expect(parsed.status).toBe(422);
    expect(parsed.headers['content-type']).toContain('application/problem+json');
    // The key is looked up once: the guard takes the caller found before the body was read.
    const resolve = jest.spyOn(api.app.get(ApiKeyService), 'resolve');
    try {
      const missing = await api.asA(
        api.http.post('/v1/documents/00000000-0000-4000-8000-000000000000/reprocess').send({ provider: 'local' }),
      );
      expect(missing.status).toBe(404);
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
  });

  it('times requests by the route matched and the status sent, refused ones too', async () => {
    await api.asA(api.http.get('/v1/search?q=metrics'));
    expectProblem(
      await api.asA(api.http.get('/v1/documents/00000000-0000-4000-8000-000000000000')),
      404,
      'document_not_found',
    );
    expectProblem(await api.http.get('/v1/documents'), 401, 'unauthorized');
    const text = (await api.http.get('/metrics')).text;
    const counted = (route: string, status: number) =>
      new RegExp(
        `recto_http_request_duration_seconds_count\\{method="GET",route="${route}",status="${status}"\\} [1-9]`,
      ).test(text);
    expect(counted('/v1/search', 200)).toBe(true);
    expect(counted('/v1/documents/:id', 404)).toBe(true);
    expect(counted('/v1/documents', 401)).toBe(true);
    expect(counted('/v1/documents/:id', 200)).toBe(false);
  });

  it('leaves health, metrics and docs open', async () => {
    expect((await api.http.get('/health')).body).toEqual({ status: 'ok' });
    const ready = await api.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'up', redis: 'up', meilisearch: 'up' });
    expect((await api.http.get('/metrics')).text).toContain('recto_http_request_duration_seconds');
    const openApi = await api.http.get('/docs-json');
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/documents', '/v1/search', '/v1/documents/{id}/search']),
    );
  });
});

describe('keys managed in the database', () => {
  it('authenticates a created key in its tenant, scopes it, and refuses it once revoked', async () => {
    const ofA = (await api.asA(api.http.post('/v1/documents')).attach('file', uniquePng(), 'a.png')).body.document.id;
    const keys = api.app.get(ApiKeyService);
    const { key, record } = await keys.create('initech', 'int test');
    expect(key.startsWith(`${record.prefix}_`)).toBe(true);
    expect(JSON.stringify(await keys.list())).not.toContain(key);
    const asC = (r: request.Test) => r.set('Authorization', `Bearer ${key}`);
    const created = await asC(api.http.post('/v1/documents')).attach('file', uniquePng(), 'c.png');
    expect(created.status).toBe(202);
    const id = created.body.document.id;
    expect((await asC(api.http.get(`/v1/documents/${id}`))).status).toBe(200);
    expectProblem(await api.asA(api.http.get(`/v1/documents/${id}`)), 404, 'document_not_found');
    expectProblem(await asC(api.http.get(`/v1/documents/${ofA}`)), 404, 'document_not_found');

    expect((await keys.revoke(record.prefix)).map((k) => k.id)).toEqual([record.id]);
    expectProblem(await asC(api.http.get(`/v1/documents/${id}`)), 401, 'unauthorized');
    expect(await keys.revoke(record.prefix)).toEqual([]);
  });
});
