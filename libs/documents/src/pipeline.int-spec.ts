/**
 * The domain pipeline on real Postgres, Redis and Meilisearch, with a fake OCR engine (OCR is
 * not the subject here: ingestion, storage of words, indexing, highlights, tenants and deletes are).
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DomainException, ErrorCode } from '@recto/common';
import { ConfigModule, validateConfig, WorkerConfig } from '@recto/config';
import { DatabaseModule, DocumentRepository, DocumentStatus, PageRepository } from '@recto/database';
import { OcrInput, OcrResult } from '@recto/ocr';
import { DOCUMENTS_QUEUE, jobIdOf, JobName, JobQueue, QueueModule } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex, SearchModule, SearchService } from '@recto/search';
import { FileStorage, StorageModule } from '@recto/storage';
import { FakeOcrProvider, startTestServices, TestServices } from '@recto/testing';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { randomBytes, randomUUID } from 'node:crypto';

import { DocumentProcessingModule } from './document-processing.module';
import { DocumentService } from './document.service';
import { DocumentsModule } from './documents.module';
import { IndexJobHandler } from './index-job.handler';
import { IngestService } from './ingest.service';
import { OcrJobHandler } from './ocr-job.handler';
import { OcrProviderRegistry } from './ocr-provider-registry';
import { ReconcilerService } from './reconciler.service';
import { ReindexService } from './reindex.service';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const box = (x: number, y: number, w = 0.08, h = 0.02): [number, number][] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
];

/** Words laid out left to right per line; polygons encode their position so tests can check them. */
function page(number: number, lines: string[][]): OcrResult['pages'][number] {
  return {
    number,
    width: 1000,
    height: 1400,
    source: 'ocr',
    words: lines.flatMap((words, line) =>
      words.map((content, i) => ({ content, line, confidence: 0.9, polygon: box(0.05 + i * 0.1, 0.05 + line * 0.03) })),
    ),
  };
}

let answer: (input: OcrInput) => OcrResult;
const fake = new FakeOcrProvider((input) => answer(input));

@Module({
  providers: [{ provide: OcrProviderRegistry, useValue: new OcrProviderRegistry([fake]) }],
  exports: [OcrProviderRegistry],
})
class FakeOcrModule {}

let services: TestServices;
let app: TestingModule;
let ingest: IngestService;
let documents: DocumentService;
let search: SearchService;
let ocrHandler: OcrJobHandler;
let indexHandler: IndexJobHandler;
let queue: Queue;

const jobOf = (data: object, attemptsMade = 0) =>
  ({ data, attemptsMade, opts: { attempts: 3 }, id: 'test' }) as unknown as Job;

beforeAll(async () => {
  services = await startTestServices('pipeline');
  const config = validateConfig(WorkerConfig, {
    ...services.env,
  });
  app = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(WorkerConfig, config),
      DatabaseModule,
      QueueModule,
      StorageModule,
      SearchModule.forRoot({ url: services.meili.url, apiKey: services.meili.apiKey, indexName: config.MEILI_INDEX }),
      DocumentsModule,
      DocumentProcessingModule.forRoot({ ocr: FakeOcrModule }),
    ],
  }).compile();
  await app.init();
  ingest = app.get(IngestService);
  documents = app.get(DocumentService);
  search = app.get(SearchService);
  ocrHandler = app.get(OcrJobHandler);
  indexHandler = app.get(IndexJobHandler);
  queue = app.get(getQueueToken(DOCUMENTS_QUEUE));
  await app.get<SearchIndex>(SEARCH_INDEX).ensureSettings();
});

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await app?.close();
  await services?.stop();
});

async function ingestBytes(tenantId: string, bytes: Buffer) {
  const file = await app.get(FileStorage).receiveBuffer(bytes, 1e6);
  return ingest.ingest({ tenantId, source: { kind: 'file', file }, filename: 'scan.png' });
}

/** Does what the worker would: runs the queued jobs' handlers, then removes the jobs. */
async function processDocument(documentId: string): Promise<void> {
  // The OCR job indexes the pages itself; an index job is only queued when that fails.
  await ocrHandler.handle({ documentId, provider: 'local' }, jobOf({ documentId }));
  for (const name of [JobName.Ocr, JobName.Index]) await (await queue.getJob(jobIdOf(name, documentId)))?.remove();
}

const unique = () => Buffer.concat([PNG, randomBytes(16)]);

describe('ingest', () => {
  it('stores the file, records the document and queues one OCR job with a deterministic id', async () => {
    const { document, created } = await ingestBytes('t1', unique());
    expect(created).toBe(true);
    expect(document.status).toBe(DocumentStatus.Processing);
    expect(document.mimeType).toBe('image/png');
    const job = await queue.getJob(jobIdOf(JobName.Ocr, document.id));
    expect(job?.name).toBe(JobName.Ocr);
    expect(job?.data).toMatchObject({ documentId: document.id, provider: 'local' });
    expect(await app.get(FileStorage).exists(document.storageKey!)).toBe(true);
  });

  it('returns the existing document for identical bytes of the same tenant, and not across tenants', async () => {
    const bytes = unique();
    const first = await ingestBytes('t1', bytes);
    const again = await ingestBytes('t1', bytes);
    const other = await ingestBytes('t2', bytes);
    expect(again).toMatchObject({ created: false, document: { id: first.document.id } });
    expect(other.created).toBe(true);
    expect(other.document.id).not.toBe(first.document.id);
  });
});

describe('processing and search', () => {
  it('highlights the right words after é, ü, ß and an emoji (UTF-8 byte offsets mapped back)', async () => {
    answer = () => ({
      provider: 'local',
      pages: [
        page(1, [
          ['😀', 'Ä', 'ü', 'é'],
          ['Société', 'Générale', 'und', 'Herr', 'Müller'],
          ['Hauptstraße', '東京', 'café'],
        ]),
      ],
    });
    const { document } = await ingestBytes('t1', unique());
    await processDocument(document.id);
    expect((await documents.get('t1', document.id)).status).toBe(DocumentStatus.Processed);

    for (const [q, expected, line, index] of [
      ['société', 'Société', 1, 0],
      ['Müller', 'Müller', 1, 4],
      ['hauptstraße', 'Hauptstraße', 2, 0],
      ['café', 'café', 2, 2],
    ] as const) {
      const result = await search.search({ tenantId: 't1', q, documentId: document.id, limit: 10, offset: 0 });
      expect(result.hits).toHaveLength(1);
      const [hit] = result.hits;
      expect(hit).toMatchObject({ documentId: document.id, pageNumber: 1, pageWidth: 1000, pageHeight: 1400 });
      expect(hit.highlights.map((h) => h.content)).toEqual([expected]);
      expect(hit.highlights[0].polygon).toEqual(box(0.05 + index * 0.1, 0.05 + line * 0.03));
      expect(hit.snippet).toContain(`<mark>${expected}</mark>`);
    }
  });

  it('the OCR job indexes what it stored: Processed and searchable when it ends, no index job queued', async () => {
    answer = () => ({ provider: 'local', pages: [page(1, [['immediately', 'findable']])] });
    const { document } = await ingestBytes('t1', unique());
    await ocrHandler.handle({ documentId: document.id, provider: 'local' }, jobOf({ documentId: document.id }));
    expect((await documents.get('t1', document.id)).status).toBe(DocumentStatus.Processed);
    expect((await search.search({ tenantId: 't1', q: 'immediately', limit: 10, offset: 0 })).hits).toHaveLength(1);
    expect(await queue.getJob(jobIdOf(JobName.Index, document.id))).toBeUndefined();
    await (await queue.getJob(jobIdOf(JobName.Ocr, document.id)))?.remove();
  });

  it('re-running OCR replaces pages and words instead of adding to them', async () => {
    answer = () => ({ provider: 'local', pages: [page(1, [['alpha', 'beta']]), page(2, [['gamma']])] });
    const { document } = await ingestBytes('t1', unique());
    await processDocument(document.id);
    await documents.reprocess('t1', document.id);
    // Until the new results are in, the old ones stay whole: readable and searchable.
    expect((await documents.page('t1', document.id, 2)).page.content).toBe('gamma');
    expect((await search.search({ tenantId: 't1', q: 'gamma', limit: 10, offset: 0 })).hits).toHaveLength(1);
    answer = () => ({ provider: 'local', pages: [page(1, [['delta']])] });
    await processDocument(document.id);
    const pages = await app.get(PageRepository).findPages(document.id);
    expect(pages.map((p) => p.content)).toEqual(['delta']);
    // The index holds exactly the new pages: no stale entry left behind to be filtered out.
    expect(await app.get<SearchIndex>(SEARCH_INDEX).pageIdsOf(document.id)).toEqual(pages.map((p) => p.id));
    expect((await documents.get('t1', document.id)).pageCount).toBe(1);
    expect(
      (await search.search({ tenantId: 't1', q: 'gamma', documentId: document.id, limit: 10, offset: 0 })).hits,
    ).toEqual([]);
    expect(
      (await search.search({ tenantId: 't1', q: 'delta', documentId: document.id, limit: 10, offset: 0 })).hits,
    ).toHaveLength(1);
  });

  it('fails a document with problem details on bad input and stops retrying', async () => {
    answer = () => {
      throw new DomainException(ErrorCode.UnreadableFile, 'The PDF is truncated.');
    };
    const { document } = await ingestBytes('t1', unique());
    await expect(ocrHandler.handle({ documentId: document.id, provider: 'local' }, jobOf({}))).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    const failed = await documents.get('t1', document.id);
    expect(failed.status).toBe(DocumentStatus.Failed);
    expect(failed.error).toMatchObject({ status: 422, code: 'unreadable_file', detail: 'The PDF is truncated.' });
  });

  it('retries a transient failure and fails the document only on the last attempt', async () => {
    answer = () => {
      throw new Error('worker thread crashed');
    };
    const { document } = await ingestBytes('t1', unique());
    await expect(ocrHandler.handle({ documentId: document.id, provider: 'local' }, jobOf({}, 0))).rejects.toThrow(
      'worker thread crashed',
    );
    expect((await documents.get('t1', document.id)).status).toBe(DocumentStatus.Processing);
    await expect(ocrHandler.handle({ documentId: document.id, provider: 'local' }, jobOf({}, 2))).rejects.toThrow();
    const failed = await documents.get('t1', document.id);
    expect(failed.status).toBe(DocumentStatus.Failed);
    expect(failed.error?.code).toBe('ocr_failed');
    expect(failed.error?.detail).not.toContain('worker thread crashed');
  });

  it("never shows one tenant another tenant's pages", async () => {
    answer = () => ({ provider: 'local', pages: [page(1, [['confidential', 'ledger']])] });
    const { document } = await ingestBytes('t1', unique());
    await processDocument(document.id);
    expect(
      (await search.search({ tenantId: 't1', q: 'confidential', limit: 10, offset: 0 })).hits.length,
    ).toBeGreaterThan(0);
    expect((await search.search({ tenantId: 't2', q: 'confidential', limit: 10, offset: 0 })).hits).toEqual([]);
    await expect(documents.get('t2', document.id)).rejects.toMatchObject({ code: 'document_not_found' });
    await expect(search.searchDocument('t2', document.id, 'ledger', 10, 0)).rejects.toMatchObject({
      code: 'document_not_found',
    });
  });

  it('delete removes the file, rows and index entries', async () => {
    answer = () => ({ provider: 'local', pages: [page(1, [['ephemeral', 'record']])] });
    const { document } = await ingestBytes('t1', unique());
    await processDocument(document.id);
    await documents.delete('t1', document.id);
    expect(await app.get(DocumentRepository).findById(document.id)).toBeNull();
    const [{ n }] = await app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM pages WHERE document_id = $1', [document.id]);
    expect(n).toBe(0);
    expect(await app.get<SearchIndex>(SEARCH_INDEX).pageIdsOf(document.id)).toEqual([]);
    expect(await app.get(PageRepository).findPages(document.id)).toEqual([]);
    expect(await app.get(FileStorage).exists(document.storageKey!)).toBe(false);
    expect((await search.search({ tenantId: 't1', q: 'ephemeral', limit: 10, offset: 0 })).hits).toEqual([]);
  });
});

describe('faults', () => {
  it('an index outage keeps the document Processing with its words in Postgres; the reconciler re-queues indexing, not OCR', async () => {
    answer = () => ({ provider: 'local', pages: [page(1, [['outage', 'ledger']])] });
    const { document } = await ingestBytes('t1', unique());
    const down = new DomainException(ErrorCode.ServiceUnavailable, 'Search engine failed: ECONNREFUSED', [], false);
    const index = app.get<SearchIndex>(SEARCH_INDEX);
    const unavailable = jest.spyOn(index, 'replaceDocument').mockRejectedValue(down);
    // The OCR job stores the pages; indexing them right away fails, so it queues the index job.
    await ocrHandler.handle({ documentId: document.id, provider: 'local' }, jobOf({ documentId: document.id }));
    expect((await queue.getJob(jobIdOf(JobName.Index, document.id)))?.data).toMatchObject({ documentId: document.id });
    // Even the last attempt does not fail the document: the engine being away is not its fault.
    await expect(indexHandler.handle({ documentId: document.id }, jobOf({}, 2))).rejects.toBe(down);
    unavailable.mockRestore();
    expect((await documents.get('t1', document.id)).status).toBe(DocumentStatus.Processing);
    expect((await documents.page('t1', document.id, 1)).words.map((w) => w.content)).toEqual(['outage', 'ledger']);

    for (const name of [JobName.Ocr, JobName.Index]) await (await queue.getJob(jobIdOf(name, document.id)))?.remove();
    const queueService = app.get(JobQueue);
    const failed = jest
      .spyOn(queueService, 'failedSince')
      .mockImplementation(async (name, id) => (name === JobName.Index && id === document.id ? Date.now() : null));
    await app.get(ReconcilerService).reconcile(0);
    failed.mockRestore();
    expect(await queue.getJob(jobIdOf(JobName.Index, document.id))).toBeDefined();
    expect(await queue.getJob(jobIdOf(JobName.Ocr, document.id))).toBeUndefined();

    await indexHandler.handle({ documentId: document.id }, jobOf({}));
    expect((await documents.get('t1', document.id)).status).toBe(DocumentStatus.Processed);
    expect((await search.search({ tenantId: 't1', q: 'outage', limit: 10, offset: 0 })).hits).toHaveLength(1);
    await (await queue.getJob(jobIdOf(JobName.Index, document.id)))?.remove();
  });

  it('re-queues OCR for a document left Processing whose jobs Redis lost', async () => {
    const { document } = await ingestBytes('t1', unique());
    await (await queue.getJob(jobIdOf(JobName.Ocr, document.id)))?.remove();
    await app.get(ReconcilerService).reconcile(0);
    expect((await queue.getJob(jobIdOf(JobName.Ocr, document.id)))?.data).toMatchObject({ documentId: document.id });
    await processDocument(document.id);
  });

  it('rebuilds the index from Postgres: lost entries come back, orphans go, search keeps answering', async () => {
    answer = () => ({ provider: 'local', pages: [page(1, [['rebuildable', 'archive']]), page(2, [['second']])] });
    const { document } = await ingestBytes('t1', unique());
    await processDocument(document.id);
    const index = app.get<SearchIndex>(SEARCH_INDEX);
    await index.deleteDocument(document.id);
    const orphan = randomUUID();
    await index.upsertPages([
      {
        id: randomUUID(),
        tenant_id: 't1',
        document_id: orphan,
        page_number: 1,
        content: 'orphan',
        filename: 'x.png',
        mime_type: 'image/png',
        created_at: Date.now(),
        metadata: {},
      },
    ]);
    expect((await search.search({ tenantId: 't1', q: 'rebuildable', limit: 10, offset: 0 })).hits).toEqual([]);

    const reindex = new ReindexService(app.get(DocumentRepository), app.get(PageRepository), index);
    const report = await reindex.rebuild();
    expect(report.pruned).toBeGreaterThanOrEqual(1);
    expect(await index.pageIdsOf(orphan)).toEqual([]);
    expect((await search.search({ tenantId: 't1', q: 'rebuildable', limit: 10, offset: 0 })).hits).toHaveLength(1);
    const stored = await app.get(PageRepository).findPages(document.id);
    expect((await index.pageIdsOf(document.id)).sort()).toEqual(stored.map((p) => p.id).sort());
  });
});
