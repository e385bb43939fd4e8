/**
 * Search on the HTTP contract: parameters, the empty result, grouping, facets, sorting, metadata
 * filters, typo-tolerant, non-Latin, historical-print, phrase, prefix and line-merged highlights.
 */
import { expectProblem } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import { useContractApi } from '../api-contract.fixture';

const api = useContractApi('search');

describe('search', () => {
  it('validates its parameters', async () => {
    expectProblem(await api.asA(api.http.get('/v1/search')), 422, 'validation_failed');
    expectProblem(await api.asA(api.http.get('/v1/search?q=a&limit=0')), 422, 'validation_failed');
    expectProblem(await api.asA(api.http.get('/v1/search?q=a&document_id=nope')), 422, 'validation_failed');
  });

  it('answers an empty result in the contract shape', async () => {
    const res = await api.asA(api.http.get('/v1/search?q=zzyzx&metadata.shelf=B'));
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

describe('search features', () => {
  it('groups by document with matching page counts, counts facets, sorts by creation and filters metadata', async () => {
    const tag = `ledger${randomBytes(3).toString('hex')}`;
    const older = await api.processedWithWords([], {
      pages: [[[tag, 'one']], [['nothing']], [[tag, 'three']]],
      metadata: { box: 1 },
    });
    await new Promise((r) => setTimeout(r, 20));
    const newer = await api.processedWithWords([[tag, 'again']], { metadata: { box: 2 } });

    const grouped = await api.asA(api.http.get(`/v1/search?q=${tag}&group=document&facets=metadata.box,mime_type`));
    expect(grouped.status).toBe(200);
    const byDoc = Object.fromEntries(
      grouped.body.hits.map((h: { document_id: string; matching_pages: number }) => [h.document_id, h.matching_pages]),
    );
    expect(byDoc).toEqual({ [older]: 2, [newer]: 1 });
    expect(grouped.body.facet_distribution).toEqual({
      'metadata.box': { '1': 2, '2': 1 },
      mime_type: { 'image/png': 3 },
    });

    const newestFirst = await api.asA(api.http.get(`/v1/search?q=${tag}&sort=created_at:desc`));
    expect(newestFirst.body.hits.map((h: { document_id: string; page: number }) => [h.document_id, h.page])).toEqual([
      [newer, 1],
      [older, 1],
      [older, 3],
    ]);
    const oldestFirst = await api.asA(api.http.get(`/v1/search?q=${tag}&sort=created_at:asc&limit=1&offset=1`));
    expect(oldestFirst.body.hits.map((h: { page: number }) => h.page)).toEqual([3]);

    const box2 = await api.asA(api.http.get(`/v1/search?q=${tag}&metadata.box=2`));
    expect(box2.body.hits.map((h: { document_id: string }) => h.document_id)).toEqual([newer]);
    expectProblem(await api.asA(api.http.get(`/v1/search?q=${tag}&facets=password`)), 422, 'validation_failed');
  });
  it('highlights the whole word for a typo-tolerant match, and words of non-Latin scripts', async () => {
    const id = await api.processedWithWords([
      ['Quarterly', 'tobacco', 'shipments'],
      ['東京', 'の', '会議', 'مرحبا', 'بالعالم', 'Ελλάδα', 'Москва'],
    ]);
    const typo = await api.asA(api.http.get(`/v1/documents/${id}/search?q=shipmnets`));
    expect(typo.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual(['shipments']);
    for (const word of ['東京', 'مرحبا', 'Ελλάδα', 'москва']) {
      const res = await api.asA(api.http.get(`/v1/documents/${id}/search?q=${encodeURIComponent(word)}`));
      expect(res.body.hits).toHaveLength(1);
      const contents = res.body.hits[0].highlights.map((h: { content: string }) => h.content.toLowerCase());
      expect(contents).toContain(word.toLowerCase());
    }
  });

  it('finds historical print by its modern spelling and highlights the words as printed', async () => {
    const id = await api.processedWithWords([
      ['Die', 'Geſellſchaft', 'der', 'Koͤnige'],
      ['ſtehen', 'uꝛſpruͤnglich', 'hier'],
    ]);
    for (const [q, printed] of [
      ['gesellschaft', 'Geſellſchaft'],
      ['Könige', 'Koͤnige'],
      ['ursprünglich', 'uꝛſpruͤnglich'],
      ['Geſellſchaft', 'Geſellſchaft'],
    ]) {
      const res = await api.asA(api.http.get(`/v1/documents/${id}/search?q=${encodeURIComponent(q)}`));
      expect(res.body.hits).toHaveLength(1);
      expect(res.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual([printed]);
      expect(res.body.hits[0].snippet).toContain(`<mark>${printed}</mark>`);
    }
  });

  it('highlights only the phrase occurrence, and whole words for prefix matches, merged per line on request', async () => {
    const id = await api.processedWithWords([['quick', 'fox', 'and', 'a', 'quick', 'brown', 'fox']]);
    const phrase = await api.asA(api.http.get(`/v1/documents/${id}/search?q=${encodeURIComponent('"brown fox"')}`));
    expect(phrase.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual(['brown', 'fox']);
    const prefix = await api.asA(api.http.get(`/v1/documents/${id}/search?q=bro`));
    expect(prefix.body.hits[0].highlights.map((h: { content: string }) => h.content)).toEqual(['brown']);
    const merged = await api.asA(
      api.http.get(`/v1/documents/${id}/search?q=${encodeURIComponent('"quick brown fox"')}&merge=line`),
    );
    const [region] = merged.body.hits[0].highlights;
    expect(merged.body.hits[0].highlights).toHaveLength(1);
    expect(region.content).toBe('quick brown fox');
    expect(region.words.map((w: { content: string }) => w.content)).toEqual(['quick', 'brown', 'fox']);
    expect(region.polygon[0][0]).toBeCloseTo(0.1 + 4 * 0.15, 6);
    expect(region.polygon[1][0]).toBeCloseTo(0.1 + 6 * 0.15 + 0.1, 6);
  });
});
