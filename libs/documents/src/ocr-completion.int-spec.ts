/**
 * The completion path shared by polling and webhooks, on real Postgres and Redis: of two
 * deliveries of one run's result, exactly one stores it.
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule, loadConfig, TestConfig, validateConfig, WorkerConfig } from '@recto/config';
import {
  DatabaseModule,
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  PageRepository,
  ProviderJobRepository,
} from '@recto/database';
import { OcrResult } from '@recto/ocr';
import { DOCUMENTS_QUEUE, QueueModule } from '@recto/queue';
import { createTestDatabase, TestDatabase } from '@recto/testing';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { OcrCompletionService } from './ocr-completion.service';
import { ProviderJobCheckpoint } from './provider-job.checkpoint';

let db: TestDatabase;
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
  const config = validateConfig(WorkerConfig, {
    DATABASE_URL: db.url,
    REDIS_URL: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
    QUEUE_PREFIX: `int_${randomBytes(4).toString('hex')}`,
  });
  app = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(WorkerConfig, config), DatabaseModule, QueueModule],
    providers: [OcrCompletionService],
  }).compile();
  await app.init();
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
});

describe('OcrCompletionService', () => {
  it('stores a run once when polling and a webhook deliver it at the same time', async () => {
    const id = await newDocument();
    const checkpoint = new ProviderJobCheckpoint(jobs, id, 'mindee');
    expect(await checkpoint.save({ externalId: randomUUID(), data: { phase: 'polling' } })).toBe(true);
    const outcomes = await Promise.all([
      completion.complete(id, result('polled'), checkpoint.runId),
      completion.complete(id, result('pushed'), checkpoint.runId),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const pages = await app.get(PageRepository).findPages(id);
    expect(pages).toHaveLength(1);
    expect(['polled', 'pushed']).toContain(pages[0].content);
    expect((await checkpoint.load())?.completed).toBe(true);
    // A third delivery, later: still nothing.
    expect(await completion.complete(id, result('late'), checkpoint.runId)).toBe(false);
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
    expect(await completion.complete(id, result('stale'), checkpoint.runId)).toBe(false);
    expect(await app.get(PageRepository).findPages(id)).toHaveLength(0);
    expect(await new ProviderJobCheckpoint(jobs, id, 'mindee').load()).toBeNull();
  });
});
