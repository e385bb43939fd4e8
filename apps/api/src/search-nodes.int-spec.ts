/**
 * The API over three Meilisearch processes (MEILI_URLS) answers like the API over one: hits,
 * highlights, facets, group=document, paging and IIIF content search, for the same stored pages.
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { DocumentRepository, PageRepository } from '@recto/database';
import { ReindexService } from '@recto/documents';
import { EmbeddedMeilisearch, startEmbeddedMeilisearch } from '@recto/embedded-services';
import { SEARCH_INDEX, SearchIndex, ShardedSearchIndex } from '@recto/search';
import { startTestServices, storeWords, TestServices, uniquePng } from '@recto/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

jest.setTimeout(600_000);

const KEY = 'nodes-key-0123456789';
const WORDS = ['ledger', 'invoice', 'tobacco', 'shipment', 'contract', 'letter'];

let services: TestServices;
const nodes: EmbeddedMeilisearch[] = [];
const dirs: string[] = [];
let one: INestApplication;
let three: INestApplication;

beforeAll(async () => {
  services = await startTestServices('nodes');
  for (let i = 0; i < 3; i++) {
    dirs.push(await mkdtemp(join(tmpdir(), 'recto-node-')));
    nodes.push(await startEmbeddedMeilisearch({ dataDir: dirs[i], port: 0 }));
  }
  const base = { ...services.env, API_KEYS: `${KEY}:acme`, LOG_LEVEL: 'warn' };
  one = await createApiApp(validateConfig(ApiConfig, base));
  three = await createApiApp(
    validateConfig(ApiConfig, {
      ...base,
      MEILI_URL: undefined,
      MEILI_URLS: nodes.map((n) => n.url).join(','),
      MEILI_MASTER_KEYS: nodes.map((n) => n.masterKey).join(','),
    }),
  );
  await one.init();
  await three.init();

  // Twelve documents of 1-3 pages, stored and indexed through the one-node app…
  for (let d = 0; d < 12; d++) {
    const upload = await request(one.getHttpServer())
      .post('/v1/documents')
      .set('Authorization', KEY)
      .field('metadata', JSON.stringify({ box: d % 3 }))
      .attach('file', uniquePng(), `d${d}.png`);
    const pages = Array.from({ length: 1 + (d % 3) }, (_, p) => [
      WORDS.filter((_, w) => (d + p + w) % 2 === 0),
      ['ledgers', `page${p + 1}`, WORDS[(d + p) % WORDS.length]],
    ]);
    await storeWords(one, upload.body.document.id, pages);
  }
  // …and into the three nodes the way `npm run reindex` does it.
  await new ReindexService(three.get(DocumentRepository), three.get(PageRepository), three.get(SEARCH_INDEX)).rebuild();
});

afterAll(async () => {
  await one?.close();
  await three?.close();
  for (const n of nodes) await n.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  await services?.stop();
});

async function both(path: string): Promise<[Record<string, unknown>, Record<string, unknown>]> {
  const get = async (app: INestApplication) => {
    const res = await request(app.getHttpServer()).get(path).set('Authorization', KEY);
    expect(res.status).toBe(200);
    const { processing_time_ms: _t, ...rest } = res.body;
    // IIIF ids carry the server's address, which differs between the two test servers.
    return JSON.parse(JSON.stringify(rest).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://server'));
  };
  return [await get(one), await get(three)];
}

/** Hits of equal relevance may come in another order from several nodes: compare them as sets. */
const unordered = (body: Record<string, unknown>) => ({
  ...body,
  hits: [...(body.hits as object[])].map((h) => JSON.stringify(h)).sort(),
});

it('spreads the documents over the three nodes', async () => {
  const index = three.get<SearchIndex>(SEARCH_INDEX);
  expect(index).toBeInstanceOf(ShardedSearchIndex);
  const counts = await Promise.all(
    nodes.map(async (n) => {
      const res = await fetch(`${n.url}/indexes/${services.env.MEILI_INDEX}/stats`, {
        headers: { Authorization: `Bearer ${n.masterKey}` },
      });
      return ((await res.json()) as { numberOfDocuments: number }).numberOfDocuments;
    }),
  );
  expect(counts.reduce((a, b) => a + b, 0)).toBe(24);
  expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
});

it('answers searches with the same hits, highlights, facets and groups', async () => {
  for (const q of ['ledger', 'tobacco invoice', 'shipmnet', '"ledgers page2"']) {
    const [a, b] = await both(`/v1/search?q=${encodeURIComponent(q)}&limit=100&facets=metadata.box,mime_type`);
    expect(unordered(b)).toEqual(unordered(a));
    const [ga, gb] = await both(`/v1/search?q=${encodeURIComponent(q)}&group=document&limit=100&facets=metadata.box`);
    expect(unordered(gb)).toEqual(unordered(ga));
  }
});

it('pages through sorted hits the same way', async () => {
  for (const offset of [0, 5, 10, 15]) {
    const [a, b] = await both(`/v1/search?q=ledgers&sort=created_at:desc&limit=5&offset=${offset}`);
    expect(b).toEqual(a);
  }
});

it('searches inside a document and answers IIIF content search the same way', async () => {
  const [listed] = await both('/v1/search?q=ledgers&group=document&limit=100');
  for (const hit of (listed.hits as { document_id: string }[]).slice(0, 4)) {
    const id = hit.document_id;
    const [a, b] = await both(`/v1/documents/${id}/search?q=ledgers`);
    expect(b).toEqual(a);
    const [va, vb] = await both(`/v1/documents/${id}/iiif/search/2?q=ledger`);
    expect(vb).toEqual(va);
  }
});
