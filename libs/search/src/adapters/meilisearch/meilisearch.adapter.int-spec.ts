import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainException, ErrorCode } from '@recto/common';
import { EmbeddedMeilisearch, startEmbeddedMeilisearch } from '@recto/embedded-services';
import { IndexQuery, PageIndexDocument } from '../../search-index.interface';
import { MeilisearchAdapter } from './meilisearch.adapter';

// The project-level testTimeout in jest.config.js is not honoured by Jest 29.
jest.setTimeout(120_000);

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

let seq = 0;
function page(overrides: Partial<PageIndexDocument> & { content: string }): PageIndexDocument {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    tenant_id: TENANT_A,
    document_id: 'doc-1',
    page_number: 1,
    filename: 'scan.pdf',
    mime_type: 'application/pdf',
    created_at: T0,
    metadata: {},
    ...overrides,
  };
}

function query(q: string, overrides: Partial<IndexQuery> = {}): IndexQuery {
  return { q, tenantId: TENANT_A, limit: 20, offset: 0, ...overrides };
}

describe('MeilisearchAdapter (real Meilisearch)', () => {
  let dataDir: string;
  let meili: EmbeddedMeilisearch;
  let adapter: MeilisearchAdapter;

  async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${meili.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${meili.masterKey}`, 'Content-Type': 'application/json' },
    });
    return (await response.json()) as T;
  }
  const taskCount = async () => (await api<{ total: number }>(`/tasks?indexUids=${adapter.indexName}&limit=1`)).total;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'recto-search-'));
    meili = await startEmbeddedMeilisearch({ dataDir, port: 0 });
    adapter = new MeilisearchAdapter({
      url: meili.url,
      apiKey: meili.masterKey,
      indexName: 'pages_test',
    });
  });

  afterAll(async () => {
    adapter?.close();
    await meili?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('ensureSettings', () => {
    it('creates the index and its settings, then changes nothing on later calls', async () => {
      await adapter.ensureSettings();
      const settings = await api<Record<string, unknown>>(`/indexes/pages_test/settings`);
      expect(settings.searchableAttributes).toEqual(['content']);
      expect(settings.sortableAttributes).toEqual(expect.arrayContaining(['created_at', 'page_number']));
      expect((await api<{ primaryKey: string }>('/indexes/pages_test')).primaryKey).toBe('id');

      const before = await taskCount();
      await adapter.ensureSettings();
      await adapter.ensureSettings();
      expect(await taskCount()).toBe(before);
    });

    it('repairs a setting changed behind its back with one task', async () => {
      const { taskUid } = await api<{ taskUid: number }>('/indexes/pages_test/settings', {
        method: 'PATCH',
        body: JSON.stringify({ sortableAttributes: ['created_at'] }),
      });
      for (;;) {
        const task = await api<{ status: string }>(`/tasks/${taskUid}`);
        if (task.status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const before = await taskCount();
      await adapter.ensureSettings();
      expect(await taskCount()).toBe(before + 1);
      const settings = await api<{ sortableAttributes: string[] }>('/indexes/pages_test/settings');
      expect(settings.sortableAttributes.sort()).toEqual(['created_at', 'page_number']);
    });
  });

  describe('with pages', () => {
    const invoiceP1 = page({
      content: 'Invoice number 42\nTotal amount due: 1,250.00 EUR',
      document_id: 'doc-inv',
      page_number: 1,
      created_at: T0,
      metadata: { department: 'Finance', year: 2024, urgent: true, note: 'say "hi" \\ bye' },
    });
    const invoiceP2 = page({
      content: 'Invoice terms: payment within 30 days',
      document_id: 'doc-inv',
      page_number: 2,
      created_at: T0,
      metadata: { department: 'Finance', year: 2024, urgent: true, note: 'say "hi" \\ bye' },
    });
    const contract = page({
      content: 'Employment contract, invoice address on file',
      document_id: 'doc-con',
      mime_type: 'image/png',
      created_at: T0 + 10 * DAY,
      metadata: { department: 'HR', year: 2025, urgent: false },
    });
    const tenantBPage = page({
      content: 'Invoice of tenant B, secret',
      tenant_id: TENANT_B,
      document_id: 'doc-b',
    });
    const scripts = page({
      content: 'Ärger über café 😀 société — 我们在搜索文书 — مرحبا بالعالم في البحث — 👩‍👩‍👧 family',
      document_id: 'doc-scripts',
    });

    beforeAll(async () => {
      await adapter.ensureSettings();
      await adapter.deleteAll();
      await adapter.upsertPages([invoiceP2, invoiceP1, contract, tenantBPage, scripts]);
    });

    it('finds pages with UTF-16 match positions', async () => {
      const result = await adapter.search(query('invoice'));
      expect(result.estimatedTotalHits).toBe(3);
      expect(result.processingTimeMs).toBeGreaterThanOrEqual(0);
      const p1 = result.hits.find((h) => h.pageId === invoiceP1.id)!;
      expect(p1).toMatchObject({ documentId: 'doc-inv', pageNumber: 1 });
      expect(p1.content).toBe(invoiceP1.content);
      expect(p1.matches.map((m) => p1.content.slice(m.start, m.start + m.length))).toEqual(['Invoice']);
    });

    it('converts byte offsets to UTF-16 for the measured case and other scripts', async () => {
      const [hit] = (await adapter.search(query('société'))).hits;
      expect(hit.pageId).toBe(scripts.id);
      expect(hit.matches).toEqual([{ start: 19, length: 7 }]);

      for (const needle of ['搜索', '文书', 'مرحبا', 'family', 'café']) {
        const { hits } = await adapter.search(query(needle));
        expect(hits.map((h) => h.pageId)).toEqual([scripts.id]);
        const slices = hits[0].matches.map((m) => scripts.content.slice(m.start, m.start + m.length));
        expect(slices).toContain(needle);
      }

      // Meilisearch splits the Arabic article: "البحث" comes back as two adjacent spans.
      const [arabic] = (await adapter.search(query('البحث'))).hits;
      const spans = arabic.matches.map((m) => scripts.content.slice(m.start, m.start + m.length));
      expect(spans.join('')).toBe('البحث');
    });

    it('returns positions for typo and prefix matches', async () => {
      const typo = await adapter.search(query('invoise', { documentId: 'doc-inv' }));
      expect(typo.hits).toHaveLength(2);
      for (const hit of typo.hits) {
        const words = hit.matches.map((m) => hit.content.slice(m.start, m.start + m.length));
        expect(words).toEqual(['Invoice']);
      }
      const prefix = await adapter.search(query('employ'));
      expect(prefix.hits.map((h) => h.pageId)).toEqual([contract.id]);
      const [m] = prefix.hits[0].matches;
      expect(contract.content.slice(m.start, m.start + m.length)).toMatch(/^employ/i);
    });

    it('never shows one tenant the pages of another', async () => {
      const b = await adapter.search(query('invoice', { tenantId: TENANT_B }));
      expect(b.hits.map((h) => h.pageId)).toEqual([tenantBPage.id]);
      const a = await adapter.search(query('secret'));
      expect(a.hits).toEqual([]);
      const everythingOfB = await adapter.search(query('', { tenantId: TENANT_B }));
      expect(everythingOfB.hits.map((h) => h.pageId)).toEqual([tenantBPage.id]);
      const unknownTenant = await adapter.search(query('', { tenantId: 'tenant-c' }));
      expect(unknownTenant.hits).toEqual([]);
    });

    it('filters by document, mime type, creation range and metadata', async () => {
      const ids = async (q: IndexQuery) => (await adapter.search(q)).hits.map((h) => h.pageId).sort();
      expect(await ids(query('invoice', { documentId: 'doc-con' }))).toEqual([contract.id]);
      expect(await ids(query('invoice', { mimeType: 'image/png' }))).toEqual([contract.id]);
      expect(
        await ids(query('invoice', { createdFrom: new Date(T0 + DAY), createdTo: new Date(T0 + 20 * DAY) })),
      ).toEqual([contract.id]);
      expect(await ids(query('invoice', { createdTo: new Date(T0) }))).toEqual([invoiceP1.id, invoiceP2.id].sort());
      expect(await ids(query('invoice', { metadata: { department: 'HR' } }))).toEqual([contract.id]);
      expect(await ids(query('invoice', { metadata: { year: '2024', urgent: 'true' } }))).toEqual(
        [invoiceP1.id, invoiceP2.id].sort(),
      );
      expect(await ids(query('invoice', { metadata: { note: 'say "hi" \\ bye' } }))).toEqual(
        [invoiceP1.id, invoiceP2.id].sort(),
      );
    });

    it('cannot be broken out of by quotes in filter values', async () => {
      const attempts: Partial<IndexQuery>[] = [
        { documentId: `x" OR tenant_id = "${TENANT_B}` },
        { documentId: `x\\" OR tenant_id = "${TENANT_B}` },
        { mimeType: `x' OR tenant_id = '${TENANT_B}` },
        { tenantId: `x" OR tenant_id EXISTS OR tenant_id = "y` },
        { metadata: { department: `x" OR tenant_id = "${TENANT_B}" OR metadata.department = "` } },
      ];
      for (const attempt of attempts) {
        const result = await adapter.search(query('secret', attempt));
        expect(result.hits).toEqual([]);
      }
      await expect(
        adapter.search(query('invoice', { metadata: { 'a = "b" OR tenant_id': 'x' } })),
      ).rejects.toMatchObject({ code: ErrorCode.ValidationFailed, permanent: true });
    });

    it('returns pages in page order when asked to', async () => {
      const result = await adapter.search(query('invoice', { documentId: 'doc-inv', sort: 'page' }));
      expect(result.hits.map((h) => h.pageNumber)).toEqual([1, 2]);
      const paged = await adapter.search(
        query('invoice', { documentId: 'doc-inv', sort: 'page', limit: 1, offset: 1 }),
      );
      expect(paged.hits.map((h) => h.pageNumber)).toEqual([2]);
    });

    it('replaces a page on upsert and deletes all pages of a document', async () => {
      await adapter.upsertPages([{ ...invoiceP2, content: 'Reminder: payment overdue' }]);
      expect((await adapter.search(query('terms'))).hits).toEqual([]);
      expect((await adapter.search(query('overdue'))).hits.map((h) => h.pageId)).toEqual([invoiceP2.id]);

      await adapter.deleteDocument('doc-inv');
      const remaining = await adapter.search(query(''));
      expect(remaining.hits.map((h) => h.documentId).sort()).toEqual(['doc-con', 'doc-scripts']);
      // deleting an unknown document is not an error
      await adapter.deleteDocument('doc-unknown" OR document_id EXISTS OR "');
      expect((await adapter.search(query(''))).hits).toHaveLength(2);
    });

    it('upserts in batches', async () => {
      const many = Array.from({ length: 2_500 }, (_, i) =>
        page({ content: `bulk page ${i} zebra`, document_id: 'doc-bulk', page_number: i + 1 }),
      );
      await adapter.upsertPages(many);
      const stats = await api<{ numberOfDocuments: number }>('/indexes/pages_test/stats');
      expect(stats.numberOfDocuments).toBeGreaterThanOrEqual(2_500);
      // estimatedTotalHits is capped by pagination.maxTotalHits (1000 by default)
      const result = await adapter.search(query('zebra', { sort: 'page', limit: 3, offset: 997 }));
      expect(result.estimatedTotalHits).toBe(1_000);
      expect(result.hits.map((h) => h.pageNumber)).toEqual([998, 999, 1000]);
      await adapter.deleteDocument('doc-bulk');
    });
  });

  describe('failures', () => {
    it('reports an unreachable engine as a transient ServiceUnavailable error', async () => {
      const dead = new MeilisearchAdapter({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 });
      try {
        expect(await dead.isHealthy()).toBe(false);
        for (const call of [
          () => dead.upsertPages([page({ content: 'x' })]),
          () => dead.search(query('x')),
          () => dead.deleteDocument('doc-1'),
          () => dead.ensureSettings(),
        ]) {
          const error = await call().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(DomainException);
          expect(error).toMatchObject({ code: ErrorCode.ServiceUnavailable, permanent: false });
        }
      } finally {
        dead.close();
      }
    });

    it('times out a hanging engine through the client timeout', async () => {
      const hanging: Server = createServer(() => undefined);
      await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
      const { port } = hanging.address() as AddressInfo;
      const slow = new MeilisearchAdapter({
        url: `http://127.0.0.1:${port}`,
        requestTimeoutMs: 300,
      });
      try {
        const started = Date.now();
        const error = await slow.search(query('x')).catch((e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(error).toMatchObject({ code: ErrorCode.ServiceUnavailable, permanent: false });
        expect((error as Error).message).toMatch(/timed out/);
      } finally {
        slow.close();
        hanging.closeAllConnections();
        await new Promise((r) => hanging.close(r));
      }
    });

    it('reports a wrong API key as a permanent error', async () => {
      const wrong = new MeilisearchAdapter({
        url: meili.url,
        apiKey: 'not-the-key-0123456789',
        indexName: 'pages_test',
      });
      try {
        expect(await wrong.isHealthy()).toBe(true); // /health needs no key
        const error = await wrong.search(query('x')).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: ErrorCode.Internal, permanent: true });
        expect((error as Error).message).toMatch(/API key/i);
      } finally {
        wrong.close();
      }
    });

    it('answers an empty result before the index exists', async () => {
      const fresh = new MeilisearchAdapter({
        url: meili.url,
        apiKey: meili.masterKey,
        indexName: 'never_created',
      });
      try {
        expect(await fresh.search(query('x'))).toEqual({
          hits: [],
          estimatedTotalHits: 0,
          processingTimeMs: 0,
        });
      } finally {
        fresh.close();
      }
    });
  });
});
