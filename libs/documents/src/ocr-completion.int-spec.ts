/**
 * The completion path shared by polling and webhooks, on real Postgres, Redis and Meilisearch: of
 * two deliveries of one run's result, exactly one stores it; what rides in its transaction commits
 * or rolls back with it; the index mode is explicit.
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule, loadConfig, TestConfig, validateConfig, WorkerConfig } from '@recto/config';
import {
  DatabaseModule,
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  OcrCompletionOutcome,
  OcrCompletionRepository,
  PageRepository,
  ProviderJobRepository,
} from '@recto/database';
import { OcrResult } from '@recto/ocr';
import { DOCUMENTS_QUEUE, QueueModule } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex, SearchModule } from '@recto/search';
import { StorageModule } from '@recto/storage';
import { createTestDatabase, TestDatabase, TestMeilisearch, useTestMeilisearch } from '@recto/testing';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { OcrCompletionModule } from './ocr-completion.module';
import { OcrCompletionService } from './ocr-completion.service';
import { ProviderJobCheckpoint } from './provider-job.checkpoint';

let db: TestDatabase;
let meili: TestMeilisearch;
let app: TestingModule;
let completion: OcrCompletionService;
let documents: DocumentRepository;
let jobs: ProviderJobRepository;

const result = (word: string): OcrResult => ({
  provider: 'mindee',
  pages: [
    {
      number: 1,
      width: 100,
      height: 100,
      source: 'ocr',
      words: [
        {
          content: word,
          line: 0,
          confidence: null,
          polygon: [
            [0.1, 0.1],
            [0.2, 0.1],
            [0.2, 0.2],
            [0.1, 0.2],
          ],
        },
      ],
    },
  ],
});

async function newDocument(): Promise<string> {
  const id = randomUUID();
  await documents.insertOrGetDuplicate(
    Object.assign(new DocumentEntity(), {
      id,
      tenantId: 'default',
      filename: 'scan.png',
      alias: null,
      metadata: {},
      mimeType: 'image/png',
      sizeBytes: 1,
      sha256: randomBytes(32).toString('hex'),
      storageKey: 'x',
      status: DocumentStatus.Processing,
      ocrProvider: 'mindee',
    }),
  );
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase('completion');
  meili = await useTestMeilisearch();
  const config = validateConfig(WorkerConfig, {
    DATABASE_URL: db.url,
    REDIS_URL: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
    QUEUE_PREFIX: `int_${randomBytes(4).toString('hex')}`,
  });
  app = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(WorkerConfig, config),
      DatabaseModule,
      QueueModule,
      StorageModule,
      SearchModule.forRoot({
        url: meili.url,
        apiKey: meili.apiKey,
        indexName: `completion_${randomBytes(4).toString('hex')}`,
      }),
      OcrCompletionModule,
    ],
  }).compile();
  await app.init();
  await app.get<SearchIndex>(SEARCH_INDEX).ensureSettings();
  completion = app.get(OcrCompletionService);
  documents = app.get(DocumentRepository);
  jobs = app.get(ProviderJobRepository);
});

afterAll(async () => {
  await app
    ?.get<Queue>(getQueueToken(DOCUMENTS_QUEUE))
    .obliterate({ force: true })
    .catch(() => undefined);
  await app?.close();
  await db?.drop();
  await meili?.stop();
});

describe('OcrCompletionService', () => {
  it('stores a run once when polling and a webhook deliver it at the same time', async () => {
    const id = await newDocument();
    const checkpoint = new ProviderJobCheckpoint(jobs, id, 'mindee');
    expect(await checkpoint.save({ externalId: randomUUID(), data: { phase: 'polling' } })).toBe(true);
    const outcomes = await Promise.all([
      completion.complete(id, result('polled'), checkpoint.runId, { index: 'queued' }),
      completion.complete(id, result('pushed'), checkpoint.runId, { index: 'queued' }),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const pages = await app.get(PageRepository).findPages(id);
    expect(pages).toHaveLength(1);
    expect(['polled', 'pushed']).toContain(pages[0].content);
    expect((await checkpoint.load())?.completed).toBe(true);
    // A third delivery, later: still nothing.
    expect(await completion.complete(id, result('late'), checkpoint.runId, { index: 'queued' })).toBe(false);
  });

  it('lets only one of two attempts move a run forward (optimistic versions)', async () => {
    const id = await newDocument();
    const a = new ProviderJobCheckpoint(jobs, id, 'mindee');
    const b = new ProviderJobCheckpoint(jobs, id, 'mindee');
    const [sa, sb] = await Promise.all([
      a.save({ data: { phase: 'submitting' } }),
      b.save({ data: { phase: 'submitting' } }),
    ]);
    expect([sa, sb].filter(Boolean)).toHaveLength(1);
    const loser = sa ? b : a;
    expect((await loser.load())?.data).toEqual({ phase: 'submitting' });
    const winner = sa ? a : b;
    expect(await winner.save({ externalId: 'job-1', data: { phase: 'polling' } })).toBe(true);
    // The loser's view is stale until it loads again.
    expect(await loser.save({ data: { phase: 'submitting', again: true } })).toBe(false);
  });

  it('ignores a superseded run (the document was reprocessed meanwhile)', async () => {
    const id = await newDocument();
    const checkpoint = new ProviderJobCheckpoint(jobs, id, 'mindee');
    await checkpoint.save({ data: { phase: 'polling' } });
    await jobs.supersedeAll(id);
    expect(await completion.complete(id, result('stale'), checkpoint.runId, { index: 'queued' })).toBe(false);
    expect(await app.get(PageRepository).findPages(id)).toHaveLength(0);
    expect(await new ProviderJobCheckpoint(jobs, id, 'mindee').load()).toBeNull();
  });

  it("indexes before resolving with index 'now', and refuses a mode it does not know", async () => {
    const id = await newDocument();
    expect(await completion.complete(id, result('indexed'), null, { index: 'now' })).toBe(true);
    expect((await documents.findById(id))?.status).toBe(DocumentStatus.Processed);
    const [page] = await app.get(PageRepository).findPages(id);
    expect(await app.get<SearchIndex>(SEARCH_INDEX).pageIdsOf(id)).toEqual([page.id]);
    const other = await newDocument();
    await expect(completion.complete(other, result('x'), null, { index: 'later' as unknown as 'now' })).rejects.toThrow(
      /index must be 'now' or 'queued'/,
    );
    expect(await app.get(PageRepository).findPages(other)).toEqual([]);
  });
});

describe('OcrCompletionRepository', () => {
  const pagesOf = (word: string) => [{ number: 1, width: 10, height: 10, content: word, source: 'ocr', words: [] }];

  it('applies same-transaction effects with the result, and rolls everything back when one fails', async () => {
    const repository = app.get(OcrCompletionRepository);
    const id = await newDocument();
    const checkpoint = new ProviderJobCheckpoint(jobs, id, 'mindee');
    await checkpoint.save({ data: { phase: 'polling' } });
    await expect(
      repository.storeResult({ documentId: id, runId: checkpoint.runId, pages: pagesOf('lost') }, [
        async (manager) => {
          await manager.query(`UPDATE documents SET alias = 'effect ran' WHERE id = $1`, [id]);
        },
        async () => {
          throw new Error('outbox is down');
        },
      ]),
    ).rejects.toThrow('outbox is down');
    expect(await app.get(PageRepository).findPages(id)).toEqual([]);
    expect((await documents.findById(id))?.alias).toBeNull();
    expect((await checkpoint.load())?.completed).toBe(false);

    const outcome = await repository.storeResult({ documentId: id, runId: checkpoint.runId, pages: pagesOf('kept') }, [
      async (manager) => {
        await manager.query(`UPDATE documents SET alias = 'effect ran' WHERE id = $1`, [id]);
      },
    ]);
    expect(outcome).toBe(OcrCompletionOutcome.Stored);
    expect((await documents.findById(id))?.alias).toBe('effect ran');
    expect((await app.get(PageRepository).findPages(id)).map((p) => p.content)).toEqual(['kept']);
    expect(await repository.storeResult({ documentId: id, runId: checkpoint.runId, pages: pagesOf('again') })).toBe(
      OcrCompletionOutcome.RunNotOpen,
    );
  });

  it('stores nothing for a document that is not Processing', async () => {
    const repository = app.get(OcrCompletionRepository);
    const id = await newDocument();
    await documents.markProcessed(id);
    expect(await repository.storeResult({ documentId: id, runId: null, pages: pagesOf('late') })).toBe(
      OcrCompletionOutcome.DocumentNotProcessing,
    );
    expect(await app.get(PageRepository).findPages(id)).toEqual([]);
    expect(await repository.storeResult({ documentId: randomUUID(), runId: null, pages: [] })).toBe(
      OcrCompletionOutcome.DocumentNotProcessing,
    );
  });
});
