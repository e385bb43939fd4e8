/**
 * Page quality and OCR progress through the HTTP contract, on real Postgres, Redis and
 * Meilisearch. The worker's OCR job handler runs in the test with a fake engine (OCR is not the
 * subject): it reports progress and holds, so the document can be read mid-run.
 */
import { INestApplication, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { ApiConfig, ConfigModule, validateConfig, WorkerConfig } from '@recto/config';
import { DatabaseModule } from '@recto/database';
import { DocumentProcessingModule, DocumentsModule, OcrJobHandler, OcrProviderRegistry } from '@recto/documents';
import type { OcrInput, OcrPage, OcrResult } from '@recto/ocr';
import { QueueModule } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex, SearchModule } from '@recto/search';
import { StorageModule } from '@recto/storage';
import { FakeOcrProvider, startTestServices, TestServices, uniquePng } from '@recto/testing';
import { Job } from 'bullmq';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

jest.setTimeout(60_000);

const png = uniquePng;

function ocrPage(number: number, confidence: number, extra: Partial<OcrPage> = {}): OcrPage {
  return {
    number,
    width: 1000,
    height: 1400,
    source: 'ocr',
    words: Array.from({ length: 8 }, (_, i) => ({
      content: `word${number}x${i}`,
      confidence,
      line: 0,
      polygon: [
        [0.1 * i, 0.1],
        [0.1 * i + 0.08, 0.1],
        [0.1 * i + 0.08, 0.12],
        [0.1 * i, 0.12],
      ],
    })),
    ...extra,
  };
}

let answer: (input: OcrInput) => Promise<OcrResult>;
const fake = new FakeOcrProvider((input) => answer(input));

@Module({
  providers: [{ provide: OcrProviderRegistry, useValue: new OcrProviderRegistry([fake]) }],
  exports: [OcrProviderRegistry],
})
class FakeOcrModule {}

let services: TestServices;
let api: INestApplication;
let worker: TestingModule;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  services = await startTestServices('quality');
  api = await createApiApp(validateConfig(ApiConfig, { ...services.env, LOG_LEVEL: 'warn' }));
  await api.init();
  http = request(api.getHttpServer());
  const config = validateConfig(WorkerConfig, { ...services.env, LOG_LEVEL: 'warn' });
  worker = await Test.createTestingModule({
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
  await worker.init();
  await worker.get<SearchIndex>(SEARCH_INDEX).ensureSettings();
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await services?.stop();
});

async function upload(): Promise<string> {
  const res = await http.post('/v1/documents').attach('file', png(), 'scan.png');
  expect(res.status).toBe(202);
  return res.body.document.id;
}

const process = (documentId: string) =>
  worker.get(OcrJobHandler).handle({ documentId, provider: 'local' }, {
    data: { documentId },
    attemptsMade: 0,
    opts: { attempts: 3 },
    id: 'test',
    timestamp: Date.now(),
  } as unknown as Job);

const getDocument = async (id: string) => (await http.get(`/v1/documents/${id}`)).body.document;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('shows page_count as soon as it is known and pages_done as pages finish, while Processing', async () => {
  const id = await upload();
  expect(await getDocument(id)).toMatchObject({ status: 'Processing', page_count: null, pages_done: null });
  let proceed!: () => void;
  const held = new Promise<void>((r) => (proceed = r));
  let tick!: (pagesDone: number) => void;
  answer = async (input) => {
    tick = (pagesDone) => input.onProgress?.({ pageCount: 3, pagesDone });
    tick(0);
    await held;
    return { provider: 'local', pages: [1, 2, 3].map((n) => ocrPage(n, 0.9)) };
  };
  const run = process(id);
  expect(
    await until(
      () => getDocument(id),
      (d) => d.page_count === 3,
    ),
  ).toMatchObject({
    status: 'Processing',
    page_count: 3,
    pages_done: 0,
  });
  tick(1);
  tick(2);
  expect(
    await until(
      () => getDocument(id),
      (d) => d.pages_done === 2,
    ),
  ).toMatchObject({
    status: 'Processing',
    page_count: 3,
    pages_done: 2,
  });
  proceed();
  await run;
  expect(await getDocument(id)).toMatchObject({ status: 'Processed', page_count: 3, pages_done: 3, quality: 'ok' });
});

it('flags a document with a badly read page, says why on the document and the page, and filters the list by it', async () => {
  const low = await upload();
  answer = async () => ({
    provider: 'local',
    pages: [
      ocrPage(1, 0.92, { upscale: 1 }),
      ocrPage(2, 0.31, { turn: { rotation: 180, deskewDegrees: 2.7 }, upscale: 3 }),
    ],
  });
  await process(low);
  const good = await upload();
  answer = async () => ({ provider: 'local', pages: [ocrPage(1, 0.88)] });
  await process(good);
  const textLayer = await upload();
  answer = async () => ({
    provider: 'local',
    pages: [
      {
        ...ocrPage(1, 0.5),
        source: 'text-layer',
        words: ocrPage(1, 0.5).words.map((w) => ({ ...w, confidence: null })),
      },
    ],
  });
  await process(textLayer);

  const document = await getDocument(low);
  expect(document).toMatchObject({ status: 'Processed', quality: 'low' });
  expect(document.quality_reason).toBe(
    'page 2: mean word confidence 0.31 is under 0.6 after it was turned 180°, straightened 2.7°, upscaled 3×',
  );
  const page2 = (await http.get(`/v1/documents/${low}/pages/2`)).body.page;
  expect(page2).toMatchObject({
    rotated: 180,
    upscaled: 3,
    quality: 'low',
    quality_reason: expect.stringContaining('mean word confidence 0.31'),
  });
  expect(page2.deskewed_degrees).toBeCloseTo(2.7, 5);
  expect(page2.mean_confidence).toBeCloseTo(0.31, 5);
  expect((await http.get(`/v1/documents/${low}/pages/1`)).body.page).toMatchObject({
    rotated: 0,
    deskewed_degrees: 0,
    upscaled: 1,
    quality: 'ok',
    quality_reason: null,
  });
  expect(await getDocument(good)).toMatchObject({ quality: 'ok', quality_reason: null });
  // A text layer carries no confidence: not judged.
  expect(await getDocument(textLayer)).toMatchObject({ quality: null, quality_reason: null });
  expect((await http.get(`/v1/documents/${textLayer}/pages/1`)).body.page).toMatchObject({
    mean_confidence: null,
    quality: null,
  });

  const ids = async (query: string) =>
    ((await http.get(`/v1/documents?${query}`)).body.documents as { id: string }[]).map((d) => d.id);
  expect(await ids('quality=low')).toEqual([low]);
  const ok = await ids('quality=ok');
  expect(ok).toContain(good);
  expect(ok).not.toContain(low);
  expect(ok).not.toContain(textLayer);
  expect(await ids('quality=low&status=Processed')).toEqual([low]);
  const bad = await http.get('/v1/documents?quality=bad');
  expect(bad.status).toBe(422);
  expect(bad.headers['content-type']).toContain('application/problem+json');
});
