/**
 * Reading documents back on the HTTP contract: get, list with a cursor, the original file, pages,
 * delete, unknown ids, and another tenant's document answered exactly like a missing one.
 */
import { expectProblem, uniquePng } from '@recto/testing';
import request from 'supertest';
import { useContractApi } from '../api-contract.fixture';

const api = useContractApi('documents');

describe('reading back', () => {
  it('gets, lists with a cursor, serves the original bytes and deletes', async () => {
    // More documents than a page of two holds.
    for (const name of ['other-1.png', 'other-2.png'])
      expect((await api.asA(api.http.post('/v1/documents')).attach('file', uniquePng(), name)).status).toBe(202);
    const bytes = uniquePng();
    const id = (await api.asA(api.http.post('/v1/documents')).attach('file', bytes, 'read.png')).body.document.id;
    expect((await api.asA(api.http.get(`/v1/documents/${id}`))).body.document.id).toBe(id);

    const page1 = await api.asA(api.http.get('/v1/documents?limit=2'));
    expect(page1.body.documents).toHaveLength(2);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await api.asA(api.http.get(`/v1/documents?limit=2&cursor=${page1.body.next_cursor}`));
    const ids1 = page1.body.documents.map((d: { id: string }) => d.id);
    expect(page2.body.documents.every((d: { id: string }) => !ids1.includes(d.id))).toBe(true);
    expect((await api.asA(api.http.get('/v1/documents?status=Processed'))).body.documents).toEqual([]);
    expectProblem(await api.asA(api.http.get('/v1/documents?status=Done')), 422, 'validation_failed');
    expectProblem(await api.asA(api.http.get('/v1/documents?cursor=garbage')), 422, 'validation_failed');

    const file = await api.asA(api.http.get(`/v1/documents/${id}/file`)).buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(file.body as Buffer, bytes)).toBe(0);

    expectProblem(await api.asA(api.http.get(`/v1/documents/${id}/pages/1`)), 404, 'page_not_found');
    expect((await api.asA(api.http.delete(`/v1/documents/${id}`))).status).toBe(204);
    expectProblem(await api.asA(api.http.get(`/v1/documents/${id}`)), 404, 'document_not_found');
  });

  it('answers unknown and malformed ids with 404, and unknown routes with problem details', async () => {
    expectProblem(
      await api.asA(api.http.get('/v1/documents/00000000-0000-4000-8000-000000000000')),
      404,
      'document_not_found',
    );
    expectProblem(await api.asA(api.http.get('/v1/documents/not-a-uuid')), 404, 'document_not_found');
    expectProblem(await api.asA(api.http.get('/v1/nothing-here')), 404, 'not_found');
  });

  it("answers another tenant's document exactly like a missing one", async () => {
    const id = (await api.asA(api.http.post('/v1/documents')).attach('file', uniquePng(), 'secret.png')).body.document
      .id;
    for (const path of [
      `/v1/documents/${id}`,
      `/v1/documents/${id}/file`,
      `/v1/documents/${id}/pages/1`,
      `/v1/documents/${id}/search?q=x`,
    ]) {
      expectProblem(await api.asB(api.http.get(path)), 404, 'document_not_found');
    }
    expectProblem(await api.asB(api.http.delete(`/v1/documents/${id}`)), 404, 'document_not_found');
    expectProblem(await api.asB(api.http.post(`/v1/documents/${id}/reprocess`)), 404, 'document_not_found');
    expect((await api.asB(api.http.get('/v1/documents'))).body.documents).toEqual([]);
    // Every route with a document id, as the OpenAPI document lists them (new routes included).
    const paths = (await api.http.get('/docs-json')).body.paths as Record<string, Record<string, unknown>>;
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
      const res = await api.asB((api.http as unknown as Record<string, (p: string) => request.Test>)[method](path));
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(JSON.stringify(res.body)).not.toContain('secret.png');
    }
    // B's delete and reprocess touched nothing of A's.
    const still = await api.asA(api.http.get(`/v1/documents/${id}`));
    expect(still.body.document).toMatchObject({ id, status: 'Processing' });
    expect((await api.asA(api.http.get(`/v1/documents/${id}/file`))).status).toBe(200);
  });
});
