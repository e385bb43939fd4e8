/**
 * How highlights matched, and `typos` / `prefix`, on real Postgres and Meilisearch (words stored
 * the way the worker stores them; OCR is not the subject).
 */
import { INestApplication } from '@nestjs/common';
import { ApiTestApp, startApiTestApp, storeWords, uniquePng } from '@recto/testing';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

const KEY = 'matching-key-0123456789';
const png = uniquePng;

let api: ApiTestApp;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  api = await startApiTestApp('matching', { API_KEYS: `${KEY}:acme` }, createApiApp);
  app = api.app;
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await api?.stop();
});

async function documentWith(pages: string[][][]): Promise<string> {
  const id = (await http.post('/v1/documents').set('Authorization', KEY).attach('file', png(), 'm.png')).body.document
    .id as string;
  await storeWords(app, id, pages);
  return id;
}

type Highlight = { content: string; match: string; words?: { content: string; match: string }[] };
type Hit = { page: number; snippet: string; highlights: Highlight[] };

async function search(
  path: string,
  q: string,
  params = '',
): Promise<{ status: number; hits: Hit[]; body: Record<string, unknown> }> {
  const res = await http.get(`${path}?q=${encodeURIComponent(q)}${params}`).set('Authorization', KEY);
  return { status: res.status, hits: res.body.hits, body: res.body };
}

const marked = (hits: Hit[]) => hits.flatMap((h) => h.highlights.map((w) => `${h.page}:${w.content}:${w.match}`));

describe('match kinds and options', () => {
  let id: string;
  let inDoc: string;

  beforeAll(async () => {
    id = await documentWith([
      [['The', 'report', 'was', 'filed', 'on', 'Monday']],
      [['The', 'attempt', 'failed', 'twice']],
      [['Frau', 'und', 'Frauen', 'der', 'Geſellſchaft']],
      [['quick', 'fox', 'and', 'a', 'quick', 'brown', 'fox']],
      [['tobacco', 'shipments']],
    ]);
    inDoc = `/v1/documents/${id}/search`;
  });

  it('by default, as before, filed also marks failed, and each highlight says how it matched', async () => {
    const { hits } = await search(inDoc, 'filed');
    expect(marked(hits)).toEqual(['1:filed:exact', '2:failed:typo']);
    expect(hits[1].snippet).toContain('<mark>');
    expect(marked((await search(inDoc, 'tobac')).hits)).toEqual(['5:tobacco:prefix']);
    expect(marked((await search(inDoc, 'shipmnets')).hits)).toEqual(['5:shipments:typo']);
  });

  it('typos=0: filed does not mark failed, and the page with only failed is no hit', async () => {
    const exact = await search(inDoc, 'filed', '&typos=0');
    expect(marked(exact.hits)).toEqual(['1:filed:exact']);
    expect(exact.body.estimated_total_hits).toBe(1);
    expect((await search(inDoc, 'shipmnets', '&typos=0')).hits).toEqual([]);
    // typos=0 turns prefixes off too, unless they are asked for; a typo of the prefix never counts.
    expect(marked((await search(inDoc, 'Frau', '&typos=0')).hits)).toEqual(['3:Frau:exact']);
    expect(marked((await search(inDoc, 'Frau', '&typos=0&prefix=true')).hits)).toEqual([
      '3:Frau:exact',
      '3:Frauen:prefix',
    ]);
    expect((await search(inDoc, 'tobcco', '&typos=0&prefix=true')).hits).toEqual([]);
    expect(marked((await search(inDoc, 'tobac', '&typos=0&prefix=true')).hits)).toEqual(['5:tobacco:prefix']);
  });

  it('typos=0 keeps the historical-print folding exact: Gesellschaft marks Geſellſchaft', async () => {
    expect(marked((await search(inDoc, 'Gesellschaft', '&typos=0&prefix=false')).hits)).toEqual([
      '3:Geſellſchaft:exact',
    ]);
  });

  it('typos=1 keeps one-edit matches; the search over all pages takes the options too', async () => {
    expect(marked((await search(inDoc, 'filed', '&typos=1')).hits)).toEqual(['1:filed:exact', '2:failed:typo']);
    const all = await search('/v1/search', 'filed', `&typos=0&document_id=${id}`);
    expect(marked(all.hits)).toEqual(['1:filed:exact']);
  });

  it('prefix=false: the last word is a whole word only', async () => {
    expect((await search(inDoc, 'tobac', '&prefix=false')).hits).toEqual([]);
    expect(marked((await search(inDoc, 'Frau', '&prefix=false&typos=0')).hits)).toEqual(['3:Frau:exact']);
    expect(marked((await search(inDoc, 'tobacco', '&prefix=false')).hits)).toEqual(['5:tobacco:exact']);
  });

  it('words of a quoted phrase are phrase matches, also merged per line', async () => {
    expect(marked((await search(inDoc, '"brown fox"')).hits)).toEqual(['4:brown:phrase', '4:fox:phrase']);
    const merged = await search(inDoc, '"quick brown fox"', '&merge=line&typos=0');
    expect(merged.hits[0].highlights).toMatchObject([
      {
        content: 'quick brown fox',
        match: 'phrase',
        words: [
          { content: 'quick', match: 'phrase' },
          { content: 'brown', match: 'phrase' },
          { content: 'fox', match: 'phrase' },
        ],
      },
    ]);
  });

  it('IIIF content search takes the options and keeps them in its paging links', async () => {
    const res = await http.get(`/v1/documents/${id}/iiif/search/2?q=filed&typos=0`).set('Authorization', KEY);
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { body: { value: string } }) => a.body.value)).toEqual(['filed']);
    expect(res.body.partOf.first.id).toContain('typos=0');
    const loose = await http.get(`/v1/documents/${id}/iiif/search/1?q=filed`).set('Authorization', KEY);
    expect(loose.body.within.total).toBe(2);
  });

  it('refuses values it does not know with 422 problem details', async () => {
    for (const params of ['&typos=3', '&typos=none', '&prefix=yes']) {
      const res = await search(inDoc, 'filed', params);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});
