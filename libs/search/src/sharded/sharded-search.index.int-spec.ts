/**
 * Search spread over three real Meilisearch processes against the same pages in one: the same
 * hits (relevance, sorts, one page per document), facets, totals and paging; and adding a node
 * rebalances by writing each document again, while search keeps finding everything.
 */
import { EmbeddedMeilisearch, startEmbeddedMeilisearch } from '@recto/embedded-services';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeilisearchAdapter } from '../adapters/meilisearch/meilisearch.adapter';
import { IndexHit, IndexQuery, PageIndexDocument } from '../search-index.interface';
import { ownerOf } from './node-placement';
import { ShardedSearchIndex } from './sharded-search.index';

jest.setTimeout(600_000);

const TENANT = 'tenant-a';
const T0 = Date.UTC(2025, 0, 1);
const WORDS = ['ledger', 'invoice', 'tobacco', 'shipment', 'contract', 'letter', 'report', 'minutes'];

/** 24 documents of 1-4 pages; each page mentions a few of the words, some twice. */
function corpus(): PageIndexDocument[] {
  const pages: PageIndexDocument[] = [];
  for (let d = 0; d < 24; d++) {
    const documentId = `00000000-0000-4000-8000-${String(d).padStart(12, '0')}`;
    for (let p = 1; p <= 1 + (d % 4); p++) {
      const words = WORDS.filter((_, w) => (d * 7 + p * 3 + w) % 3 === 0);
      const content = [...words, 'and', words[0] ?? 'nothing', `page${p}`, 'ledgers'].join(' ');
      pages.push({
        id: `${documentId.slice(0, 24)}${String(d * 10 + p).padStart(12, '0')}`,
        tenant_id: TENANT,
        document_id: documentId,
        page_number: p,
        content,
        filename: `d${d}.pdf`,
        mime_type: d % 2 ? 'application/pdf' : 'image/png',
        created_at: T0 + d * 1000,
        metadata: { box: d % 3 },
      });
    }
  }
  return pages;
}

const query = (q: string, more: Partial<IndexQuery> = {}): IndexQuery => ({
  q,
  tenantId: TENANT,
  limit: 20,
  offset: 0,
  ...more,
});
const ids = (hits: IndexHit[]) => hits.map((h) => h.pageId);
/** Hits of equal score may come in any order; compare score by score. */
const byScore = (hits: IndexHit[]) =>
  [...hits].sort((a, b) => (b.rankingScore ?? 0) - (a.rankingScore ?? 0) || a.pageId.localeCompare(b.pageId));

describe('ShardedSearchIndex over 3 Meilisearch processes', () => {
  const dirs: string[] = [];
  const processes: EmbeddedMeilisearch[] = [];
  let single: MeilisearchAdapter;
  let nodes: MeilisearchAdapter[];
  let sharded: ShardedSearchIndex;
  const pages = corpus();

  const adapter = (m: EmbeddedMeilisearch) =>
    new MeilisearchAdapter({ url: m.url, apiKey: m.masterKey, indexName: 'pages_sharded' });
  const shardedOver = (list: MeilisearchAdapter[], meilis: EmbeddedMeilisearch[]) =>
    new ShardedSearchIndex(list.map((index, i) => ({ key: meilis[i].url, index })));

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'recto-shard-'));
      dirs.push(dir);
      processes.push(await startEmbeddedMeilisearch({ dataDir: dir, port: 0 }));
    }
    single = adapter(processes[0]);
    nodes = processes.slice(1, 4).map(adapter);
    sharded = shardedOver(nodes, processes.slice(1, 4));
    await single.ensureSettings();
    await sharded.ensureSettings();
    await single.upsertPages(pages);
    await sharded.upsertPages(pages);
  });

  afterAll(async () => {
    single?.close();
    sharded?.close();
    for (const m of processes) await m.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('places every document on one node, all nodes holding some', async () => {
    const counts = await Promise.all(nodes.map((n) => n.countPages()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(pages.length);
    for (const n of counts) expect(n).toBeGreaterThan(0);
    const keys = processes.slice(1, 4).map((m) => m.url);
    for (const documentId of new Set(pages.map((p) => p.document_id))) {
      const holders = await Promise.all(nodes.map((n) => n.pageIdsOf(documentId)));
      expect(holders.map((h) => h.length > 0)).toEqual(nodes.map((_, i) => i === ownerOf(documentId, keys)));
    }
  });

  it('answers relevance searches like one node: same hits, scores and totals', async () => {
    for (const q of ['ledger', 'tobacco invoice', 'shipmnet', 'rep', '"and ledger"']) {
      const one = await single.search(query(q, { limit: 100 }));
      const many = await sharded.search(query(q, { limit: 100 }));
      expect(many.estimatedTotalHits).toBe(one.estimatedTotalHits);
      expect(byScore(many.hits).map((h) => [h.pageId, h.rankingScore, h.matches])).toEqual(
        byScore(one.hits).map((h) => [h.pageId, h.rankingScore, h.matches]),
      );
      // Merged in score order.
      const scores = many.hits.map((h) => h.rankingScore ?? 0);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('pages with offset and limit across nodes: the slices make up the whole list', async () => {
    const all = await sharded.search(query('ledger', { limit: 100, sort: 'created_at:desc' }));
    const sliced: string[] = [];
    for (let offset = 0; offset < all.hits.length; offset += 7) {
      sliced.push(...ids((await sharded.search(query('ledger', { limit: 7, offset, sort: 'created_at:desc' }))).hits));
    }
    expect(sliced).toEqual(ids(all.hits));
    expect(ids(all.hits)).toEqual(
      ids((await single.search(query('ledger', { limit: 100, sort: 'created_at:desc' }))).hits),
    );
    const asc = await sharded.search(query('ledger', { limit: 100, sort: 'created_at:asc' }));
    expect(ids(asc.hits)).toEqual(
      ids((await single.search(query('ledger', { limit: 100, sort: 'created_at:asc' }))).hits),
    );
  });

  it('adds up facets and keeps one page per document', async () => {
    const facets = ['mime_type', 'metadata.box', 'document_id'];
    const one = await single.search(query('ledger', { limit: 0, facets }));
    const many = await sharded.search(query('ledger', { limit: 0, facets }));
    expect(many.facetDistribution).toEqual(one.facetDistribution);
    const distinctOne = await single.search(query('tobacco', { limit: 100, distinctDocument: true }));
    const distinctMany = await sharded.search(query('tobacco', { limit: 100, distinctDocument: true }));
    expect(new Set(distinctMany.hits.map((h) => h.documentId)).size).toBe(distinctMany.hits.length);
    expect(distinctMany.hits.map((h) => h.documentId).sort()).toEqual(distinctOne.hits.map((h) => h.documentId).sort());
  });

  it("searches one document's pages in page order", async () => {
    const documentId = pages[pages.length - 1].document_id;
    const res = await sharded.search(query('ledgers', { documentId, sort: 'page', limit: 100 }));
    expect(res.hits.map((h) => h.pageNumber)).toEqual([1, 2, 3, 4]);
  });

  it('lists every page id once across nodes, in slices, for pruning', async () => {
    const listed: string[] = [];
    for (let offset = 0; ; offset += 13) {
      const batch = await sharded.listPageIds(offset, 13);
      if (batch.length === 0) break;
      listed.push(...batch);
    }
    expect(listed.sort()).toEqual(pages.map((p) => p.id).sort());
  });

  it('adding a node: everything stays findable, and rewriting each document moves it to its new owner', async () => {
    const four = [...nodes, adapter(processes[4])];
    const grown = shardedOver(four, processes.slice(1, 5));
    try {
      await grown.ensureSettings();
      const before = await grown.search(query('ledger', { limit: 100 }));
      expect(before.estimatedTotalHits).toBe((await single.search(query('ledger', { limit: 100 }))).estimatedTotalHits);

      // What `npm run reindex` does for each document.
      const byDocument = new Map<string, PageIndexDocument[]>();
      for (const p of pages) byDocument.set(p.document_id, [...(byDocument.get(p.document_id) ?? []), p]);
      for (const [documentId, list] of byDocument) await grown.replaceDocument(documentId, list);

      const keys = processes.slice(1, 5).map((m) => m.url);
      const counts = await Promise.all(four.map((n) => n.countPages()));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(pages.length);
      expect(counts[3]).toBeGreaterThan(0);
      for (const [documentId] of byDocument) {
        const holders = await Promise.all(four.map((n) => n.pageIdsOf(documentId)));
        expect(holders.map((h) => h.length > 0)).toEqual(four.map((_, i) => i === ownerOf(documentId, keys)));
      }
      const after = await grown.search(query('ledger', { limit: 100 }));
      expect(byScore(after.hits).map((h) => h.pageId)).toEqual(byScore(before.hits).map((h) => h.pageId));
    } finally {
      four[3].close();
    }
  });
});
