/**
 * The `iiif-import` job on real Postgres, Redis and Meilisearch against a local HTTPS source (a
 * self-signed certificate trusted through the fetcher's test seam; loopback allowed by
 * URL_FETCH_ALLOW_LOOPBACK): the request records the document without fetching an image, the job
 * fetches and attaches them, the OCR job imports the linked pages and recognises only the others
 * (the engine is fake: recognition is not the subject), a 404 fails the document naming the
 * canvas, a 503 is retried by a real BullMQ worker with backoff, and re-runs change nothing.
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule, validateConfig, WorkerConfig } from '@recto/config';
import {
  DatabaseModule,
  DeploymentIdentity,
  DocumentRepository,
  DocumentStatus,
  OcrFileRepository,
  PageRepository,
} from '@recto/database';
import {
  DocumentProcessingModule,
  DocumentService,
  DocumentsModule,
  JobFailurePolicy,
  OcrCompletionService,
  OcrJobHandler,
  OcrProviderRegistry,
  ReconcilerService,
  URL_FETCHER_OVERRIDES,
} from '@recto/documents';
import { ImportOcrAdapter, OcrInput, OcrResult } from '@recto/ocr';
import {
  DOCUMENTS_QUEUE,
  JOB_HANDLERS,
  JobHandler,
  jobIdOf,
  JobName,
  JobPayloads,
  JobQueue,
  JobStats,
  QueueModule,
  redisConnectionOf,
} from '@recto/queue';
import { SEARCH_INDEX, SearchIndex, SearchModule } from '@recto/search';
import { FileStorage, StorageModule } from '@recto/storage';
import { FakeOcrProvider, makeSelfSignedCertificate, startTestServices, TestServices } from '@recto/testing';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { IiifImportJobHandler } from './iiif-import-job.handler';
import { IiifImportJobModule } from './iiif-import-job.module';
import { IiifImportService } from './iiif-import.service';
import { IiifResourceFetcher } from './iiif-resource.fetcher';

const WIDTH = 400;
const HEIGHT = 500;

/** ALTO in pixels of a WIDTH×HEIGHT page with these words on one line. */
const alto = (words: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Description><MeasurementUnit>pixel</MeasurementUnit></Description>
<Layout><Page ID="p" WIDTH="${WIDTH}" HEIGHT="${HEIGHT}" PHYSICAL_IMG_NR="1"><PrintSpace><TextBlock ID="b"><TextLine ID="l">
${words.map((w, i) => `<String CONTENT="${w}" HPOS="${20 + i * 90}" VPOS="40" WIDTH="80" HEIGHT="20"/>`).join('<SP/>')}
</TextLine></TextBlock></PrintSpace></Page></Layout></alto>`;

/** The fake engine reads every page it is given as one word naming the page, and ignores skipPages (the handler must not rely on it). */
const fake = new FakeOcrProvider(async (input: OcrInput): Promise<OcrResult> => {
  const pages = (await sharp(input.filePath).metadata()).pages ?? 1;
  return {
    provider: 'local',
    pages: Array.from({ length: pages }, (_, i) => ({
      number: i + 1,
      width: WIDTH,
      height: HEIGHT,
      source: 'ocr' as const,
      words: [
        {
          content: `recognised${i + 1}`,
          line: 0,
          confidence: 0.9,
          polygon: [
            [0.1, 0.1],
            [0.3, 0.1],
            [0.3, 0.12],
            [0.1, 0.12],
          ],
        },
      ],
    })),
  };
});

@Module({
  providers: [
    {
      provide: OcrProviderRegistry,
      useValue: new OcrProviderRegistry([fake, new ImportOcrAdapter({ maxPages: 10, maxPixels: 10_000_000 })]),
    },
  ],
  exports: [OcrProviderRegistry],
})
class ImportAndFakeLocalOcrModule {}

let trustedCa: Buffer;

/** The fetcher's test seam: trust the source's self-signed certificate (the address policy stays the configured one). */
@Global()
@Module({
  providers: [{ provide: URL_FETCHER_OVERRIDES, useFactory: () => ({ ca: trustedCa }) }],
  exports: [URL_FETCHER_OVERRIDES],
})
class TrustSourceModule {}

/** The API's half of an import (IiifModule's, without the rest of the IIIF API, which needs the API's config). */
@Module({
  imports: [DocumentsModule],
  providers: [IiifImportService, IiifResourceFetcher],
  exports: [IiifImportService],
})
class IiifImportRequestModule {}

interface Source {
  server: Server;
  base: string;
  hits: string[];
  files: Map<string, { type: string; body: Buffer }>;
  /** Paths answered 503 this many more times before they are served. */
  unavailable: Map<string, number>;
}

let dir: string;
let source: Source;
let services: TestServices;
let app: TestingModule;
let queue: Queue;
let imports: IiifImportService;
let importHandler: IiifImportJobHandler;
let ocrHandler: OcrJobHandler;
let documents: DocumentRepository;

async function startSource(key: Buffer, cert: Buffer): Promise<Source> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const hits: string[] = [];
  const unavailable = new Map<string, number>();
  const server = createServer({ key, cert }, (req, res) => {
    const path = req.url ?? '';
    hits.push(path);
    const left = unavailable.get(path) ?? 0;
    if (left > 0) {
      unavailable.set(path, left - 1);
      return void res.writeHead(503).end();
    }
    const file = files.get(path);
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, files, unavailable };
}

const png = (shade: number) =>
  sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: shade, g: shade, b: shade } } })
    .png()
    .toBuffer();

/**
 * Publishes a Presentation 3 manifest of `pages` canvases at /<name>/manifest.json: canvas n's
 * image at /<name>/<n>.png (unless `missing`), ALTO at /<name>/<n>.xml for the pages in `linked`,
 * and for the pages in `annotated` an inline AnnotationPage: one transcription (`annotated<n>`) on a
 * region, or none when `wordless` (a comment on the whole canvas only, which is not text).
 */
async function publish(
  name: string,
  pages: number,
  linked: number[] = [],
  missing: number[] = [],
  annotated: number[] = [],
  wordless = false,
): Promise<string> {
  const canvases = [];
  for (let n = 1; n <= pages; n++) {
    const image = `/${name}/${n}.png`;
    // A shade per manifest and page: distinct bytes, so each manifest is its own document.
    if (!missing.includes(n)) source.files.set(image, { type: 'image/png', body: await png(100 + n + name.length) });
    const canvas = `${source.base}/${name}/canvas/${n}`;
    const ocr = `/${name}/${n}.xml`;
    if (linked.includes(n)) {
      source.files.set(ocr, { type: 'application/xml', body: Buffer.from(alto([`imported${n}`, 'words'])) });
    }
    canvases.push({
      id: canvas,
      type: 'Canvas',
      width: WIDTH * 2,
      height: HEIGHT * 2,
      items: [
        {
          id: `${canvas}/page`,
          type: 'AnnotationPage',
          items: [
            {
              id: `${canvas}/painting`,
              type: 'Annotation',
              motivation: 'painting',
              body: { id: `${source.base}${image}`, type: 'Image', format: 'image/png' },
              target: canvas,
            },
          ],
        },
      ],
      ...(linked.includes(n)
        ? { seeAlso: [{ id: `${source.base}${ocr}`, type: 'Dataset', profile: 'http://www.loc.gov/standards/alto/' }] }
        : {}),
      ...(annotated.includes(n)
        ? {
            annotations: [
              {
                id: `${canvas}/text`,
                type: 'AnnotationPage',
                items: [
                  {
                    id: `${canvas}/text/1`,
                    type: 'Annotation',
                    motivation: wordless ? 'commenting' : 'supplementing',
                    body: { type: 'TextualBody', value: `annotated${n}` },
                    target: wordless ? canvas : `${canvas}#xywh=80,80,200,40`,
                  },
                ],
              },
            ],
          }
        : {}),
    });
  }
  const url = `${source.base}/${name}/manifest.json`;
  source.files.set(`/${name}/manifest.json`, {
    type: 'application/ld+json',
    body: Buffer.from(
      JSON.stringify({
        '@context': 'http://iiif.io/api/presentation/3/context.json',
        id: url,
        type: 'Manifest',
        label: { en: [name] },
        items: canvases,
      }),
    ),
  });
  return url;
}

const jobOf = (data: object, attemptsMade = 0) =>
  ({ data, attemptsMade, opts: { attempts: 5 }, id: 'test', timestamp: Date.now() }) as unknown as Job;

/** The job the request queued, run once the way the worker runs it (BullMQ's retries are not the subject here). */
async function runQueued<N extends JobName>(name: N, documentId: string, attemptsMade = 0): Promise<void> {
  const job = await queue.getJob(jobIdOf(name, documentId));
  expect(job).toBeDefined();
  const handler = name === JobName.IiifImport ? importHandler : ocrHandler;
  await (handler as unknown as JobHandler<N>).handle(job!.data as JobPayloads[N], jobOf(job!.data, attemptsMade));
}

async function clearJobs(documentId: string): Promise<void> {
  for (const name of Object.values(JobName)) await (await queue.getJob(jobIdOf(name, documentId)))?.remove();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recto-iiif-import-job-'));
  const tls = await makeSelfSignedCertificate(dir);
  trustedCa = tls.cert;
  source = await startSource(tls.key, tls.cert);
  services = await startTestServices('iiif-import-job');
  const config = validateConfig(WorkerConfig, {
    ...services.env,
    LOG_LEVEL: 'warn',
    URL_FETCH_ALLOW_LOOPBACK: 'true',
    OCR_MAX_PAGES: '5',
  });
  app = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(WorkerConfig, config),
      TrustSourceModule,
      DatabaseModule,
      QueueModule,
      StorageModule,
      SearchModule.forRoot({ url: services.meili.url, apiKey: services.meili.apiKey, indexName: config.MEILI_INDEX }),
      DocumentsModule,
      IiifImportRequestModule,
      DocumentProcessingModule.forRoot({
        ocr: ImportAndFakeLocalOcrModule,
        jobs: { module: IiifImportJobModule, handlers: [IiifImportJobHandler] },
      }),
    ],
  }).compile();
  await app.init();
  queue = app.get(getQueueToken(DOCUMENTS_QUEUE));
  imports = app.get(IiifImportService);
  importHandler = app.get(IiifImportJobHandler);
  ocrHandler = app.get(OcrJobHandler);
  documents = app.get(DocumentRepository);
  await app.get<SearchIndex>(SEARCH_INDEX).ensureSettings();
}, 120_000);

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await app?.close();
  await services?.stop();
  source?.server.closeAllConnections();
  await new Promise((r) => source?.server.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the iiif-import job', () => {
  it('is registered with the other handlers: every job name has exactly one', () => {
    const names = app.get<JobHandler[]>(JOB_HANDLERS).map((h) => h.jobName);
    expect(names.sort()).toEqual(Object.values(JobName).sort());
  });

  it('records the document without fetching an image, then attaches the page stack and imports only the linked pages', async () => {
    const url = await publish('mixed', 3, [2]);
    const { document, created } = await imports.import({ tenantId: 't1', manifestUrl: url });
    expect(created).toBe(true);
    expect(document).toMatchObject({ status: DocumentStatus.Processing, storageKey: null, ocrProvider: 'local' });
    expect(document.iiifSource?.canvases[1]).toMatchObject({
      id: `${source.base}/mixed/canvas/2`,
      image: `${source.base}/mixed/2.png`,
      ocr: { url: `${source.base}/mixed/2.xml`, format: 'alto' },
    });
    // The request read the manifest only.
    expect(source.hits.filter((h) => h.startsWith('/mixed/'))).toEqual(['/mixed/manifest.json']);
    const job = await queue.getJob(jobIdOf(JobName.IiifImport, document.id));
    expect(job?.id).toBe(`${document.id}.iiif-import`);
    expect(job?.data).toMatchObject({ documentId: document.id });

    await runQueued(JobName.IiifImport, document.id);
    const attached = await documents.findById(document.id);
    expect(attached?.storageKey).not.toBeNull();
    expect(attached?.sizeBytes).toBeGreaterThan(0);
    const stack = await sharp(app.get(FileStorage).pathOf(attached!.storageKey!)).metadata();
    expect([stack.format, stack.pages]).toEqual(['tiff', 3]);
    const files = await app.get(OcrFileRepository).listForDocument(document.id);
    expect(files.map((f) => [f.format, f.pageNumber])).toEqual([['alto', 2]]);

    // The worker queued OCR; the engine is asked for pages 1 and 3 only, page 2 comes from the ALTO.
    fake.calls.length = 0;
    await runQueued(JobName.Ocr, document.id);
    expect(fake.calls.map((c) => c.skipPages)).toEqual([[2]]);
    const done = await documents.findById(document.id);
    expect(done).toMatchObject({ status: DocumentStatus.Processed, pageCount: 3 });
    const pages = await app.get(PageRepository).findPages(document.id);
    expect(pages.map((p) => [p.number, p.source, p.content])).toEqual([
      [1, 'ocr', 'recognised1'],
      [2, 'import', 'imported2 words'],
      [3, 'ocr', 'recognised3'],
    ]);
    // Page 2 is the image's size (the ALTO's pixels), its words where the ALTO put them.
    expect([pages[1].width, pages[1].height]).toEqual([WIDTH, HEIGHT]);
    const [first] = await app.get(PageRepository).findWords(pages[1].id);
    expect(first.content).toBe('imported2');
    expect(first.polygon[0][0]).toBeCloseTo(20 / WIDTH, 3);

    // A late duplicate of the import job changes nothing.
    await runQueued(JobName.IiifImport, document.id);
    expect(await documents.findById(document.id)).toMatchObject({
      storageKey: attached!.storageKey,
      status: 'Processed',
    });
    expect(await app.get(OcrFileRepository).listForDocument(document.id)).toHaveLength(1);

    // Reprocessing reads the same: the linked page imported, the others recognised again.
    await clearJobs(document.id);
    await app.get(DocumentService).reprocess('t1', document.id);
    fake.calls.length = 0;
    await runQueued(JobName.Ocr, document.id);
    expect(fake.calls.map((c) => c.skipPages)).toEqual([[2]]);
    expect((await app.get(PageRepository).findPages(document.id)).map((p) => p.source)).toEqual([
      'ocr',
      'import',
      'ocr',
    ]);
    await clearJobs(document.id);
  });

  it('keeps the linked pages imported whatever path stores a reading of every page (a provider webhook)', async () => {
    const url = await publish('webhook', 2, [1]);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    await runQueued(JobName.IiifImport, document.id);
    const attached = await documents.findById(document.id);
    // What a remote engine that cannot skip pages delivers (Mindee's webhook stores through the same service).
    const reading = await fake.recognize({
      documentId: document.id,
      filePath: app.get(FileStorage).pathOf(attached!.storageKey!),
      mimeType: 'image/tiff',
    });
    expect(reading.pages).toHaveLength(2);
    await app
      .get(OcrCompletionService)
      .complete(document.id, { ...reading, provider: 'mindee' }, null, { index: 'now' });
    expect((await app.get(PageRepository).findPages(document.id)).map((p) => [p.source, p.content])).toEqual([
      ['import', 'imported1 words'],
      ['ocr', 'recognised2'],
    ]);
    await clearJobs(document.id);
  });

  it('imports every page when every canvas links OCR, with no engine at all', async () => {
    const url = await publish('all-linked', 2, [1, 2]);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    expect(document.ocrProvider).toBe('import');
    await runQueued(JobName.IiifImport, document.id);
    fake.calls.length = 0;
    await runQueued(JobName.Ocr, document.id);
    expect(fake.calls).toHaveLength(0);
    expect((await app.get(PageRepository).findPages(document.id)).map((p) => [p.source, p.content])).toEqual([
      ['import', 'imported1 words'],
      ['import', 'imported2 words'],
    ]);
    await clearJobs(document.id);
  });

  it("imports a canvas's text annotations like linked OCR, and OCRs only the page with neither", async () => {
    const url = await publish('annotated', 3, [1], [], [2]);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    expect(document.ocrProvider).toBe('local');
    expect((await documents.findById(document.id))?.iiifSource?.canvases[1].annotations).toHaveLength(1);
    await runQueued(JobName.IiifImport, document.id);
    const files = await app.get(OcrFileRepository).listForDocument(document.id);
    expect(files.map((f) => [f.format, f.pageNumber])).toEqual([
      ['alto', 1],
      ['alto', 2],
    ]);
    // Read into its OCR file, the annotation page is no longer carried by the document; the canvases are.
    const attached = await documents.findById(document.id);
    expect(attached?.iiifSource?.canvases.map((c) => [c.id, 'annotations' in c])).toEqual(
      document.iiifSource!.canvases.map((c) => [c.id, false]),
    );
    fake.calls.length = 0;
    await runQueued(JobName.Ocr, document.id);
    expect(fake.calls.map((c) => c.skipPages)).toEqual([[1, 2]]);
    expect((await app.get(PageRepository).findPages(document.id)).map((p) => [p.source, p.content])).toEqual([
      ['import', 'imported1 words'],
      ['import', 'annotated2'],
      ['ocr', 'recognised3'],
    ]);
    await clearJobs(document.id);
  });

  it('settles the engine once the annotations are read: none with words, so every page is OCRed', async () => {
    const url = await publish('wordless', 2, [], [], [1, 2], true);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    // Every canvas has annotations: import, as far as the request can tell.
    expect(document.ocrProvider).toBe('import');
    await runQueued(JobName.IiifImport, document.id);
    expect(await documents.findById(document.id)).toMatchObject({ ocrProvider: 'local' });
    expect(await app.get(OcrFileRepository).listForDocument(document.id)).toEqual([]);
    expect((await queue.getJob(jobIdOf(JobName.Ocr, document.id)))?.data).toMatchObject({ provider: 'local' });
    await clearJobs(document.id);
  });

  it('the same manifest again is the same document; the same Idempotency-Key is answered without fetching', async () => {
    const url = await publish('again', 1);
    const first = await imports.import({ tenantId: 't1', manifestUrl: url, idempotencyKey: 'again-key-0123456789' });
    const again = await imports.import({ tenantId: 't1', manifestUrl: url });
    expect(again).toMatchObject({ created: false, document: { id: first.document.id } });
    const fetched = source.hits.filter((h) => h === '/again/manifest.json').length;
    const retried = await imports.import({ tenantId: 't1', manifestUrl: url, idempotencyKey: 'again-key-0123456789' });
    expect(retried).toMatchObject({ created: true, document: { id: first.document.id } });
    expect(source.hits.filter((h) => h === '/again/manifest.json')).toHaveLength(fetched);
    // Another tenant's import of it is its own document.
    const other = await imports.import({ tenantId: 't2', manifestUrl: url });
    expect(other.created).toBe(true);
    await clearJobs(first.document.id);
    await clearJobs(other.document.id);
  });

  it('fails the document at once, naming the canvas, when a canvas image answers 404', async () => {
    const url = await publish('gone', 3, [], [2]);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    await expect(runQueued(JobName.IiifImport, document.id)).rejects.toBeInstanceOf(UnrecoverableError);
    const failed = await documents.findById(document.id);
    expect(failed).toMatchObject({ status: DocumentStatus.Failed, storageKey: null });
    expect(failed?.error).toMatchObject({ code: 'iiif_resource_unreachable' });
    expect(failed?.error?.detail).toMatch(
      new RegExp(`canvas 2 \\(${source.base}/gone/canvas/2\\).*gone/2\\.png.*answered 404`),
    );
    expect(await queue.getJob(jobIdOf(JobName.Ocr, document.id))).toBeUndefined();

    // The source fixed: reprocessing fetches again, from the row, and the document gets its images.
    source.files.set('/gone/2.png', { type: 'image/png', body: await png(42) });
    // (BullMQ keeps the failed job; here the handler ran outside it, so its queued copy goes.)
    await clearJobs(document.id);
    await app.get(DocumentService).reprocess('t1', document.id);
    expect(await queue.getJob(jobIdOf(JobName.Ocr, document.id))).toBeUndefined();
    await runQueued(JobName.IiifImport, document.id);
    expect(await documents.findById(document.id)).toMatchObject({ status: DocumentStatus.Processing, error: null });
    expect((await documents.findById(document.id))?.storageKey).not.toBeNull();
    expect(await queue.getJob(jobIdOf(JobName.Ocr, document.id))).toBeDefined();
    await clearJobs(document.id);
  });

  it('reprocesses a failed import whose every canvas has text annotations: their files come with the fetch', async () => {
    const url = await publish('gone-annotated', 2, [], [2], [1, 2]);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    expect(document.ocrProvider).toBe('import');
    await expect(runQueued(JobName.IiifImport, document.id)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await documents.findById(document.id)).toMatchObject({ status: DocumentStatus.Failed, storageKey: null });

    source.files.set('/gone-annotated/2.png', { type: 'image/png', body: await png(43) });
    await clearJobs(document.id);
    await app.get(DocumentService).reprocess('t1', document.id);
    await runQueued(JobName.IiifImport, document.id);
    expect(await documents.findById(document.id)).toMatchObject({ status: DocumentStatus.Processing, error: null });
    expect((await queue.getJob(jobIdOf(JobName.Ocr, document.id)))?.data).toMatchObject({ provider: 'import' });
    await runQueued(JobName.Ocr, document.id);
    expect((await app.get(PageRepository).findPages(document.id)).map((p) => [p.source, p.content])).toEqual([
      ['import', 'annotated1'],
      ['import', 'annotated2'],
    ]);
    await clearJobs(document.id);
  });

  it('fails the document as url_not_allowed, naming the URL, when a canvas image is on plain http', async () => {
    const url = await publish('plain-http', 1);
    const manifest = source.files.get('/plain-http/manifest.json')!;
    const image = `${source.base}/plain-http/1.png`;
    const plain = image.replace('https://', 'http://');
    manifest.body = Buffer.from(manifest.body.toString('utf8').replace(`"${image}"`, `"${plain}"`));
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    expect(document.iiifSource?.canvases[0].image).toBe(plain);
    await expect(runQueued(JobName.IiifImport, document.id)).rejects.toBeInstanceOf(UnrecoverableError);
    const failed = await documents.findById(document.id);
    expect(failed).toMatchObject({ status: DocumentStatus.Failed, storageKey: null });
    expect(failed?.error).toMatchObject({ code: 'url_not_allowed' });
    expect(failed?.error?.detail).toContain(plain);
    expect(source.hits).not.toContain('/plain-http/1.png');
    await clearJobs(document.id);
  });

  it('fails the document as too large at the canvas whose image makes the pages more than MAX_UPLOAD_BYTES', async () => {
    const url = await publish('heavy', 3);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    const handler = new IiifImportJobHandler(
      validateConfig(WorkerConfig, { ...services.env, MAX_UPLOAD_BYTES: '2000' }),
      documents,
      app.get(OcrFileRepository),
      app.get(FileStorage),
      app.get(IiifResourceFetcher),
      app.get(JobQueue),
      app.get(JobFailurePolicy),
      app.get(JobStats),
    );
    const job = await queue.getJob(jobIdOf(JobName.IiifImport, document.id));
    await expect(handler.handle(job!.data, jobOf(job!.data))).rejects.toBeInstanceOf(UnrecoverableError);
    const failed = await documents.findById(document.id);
    expect(failed?.error).toMatchObject({ code: 'payload_too_large' });
    expect(failed?.error?.detail).toMatch(/more than 2000 bytes .*reached at canvas \d \(.*heavy\/canvas\/\d\) of 3/);
    await clearJobs(document.id);
  });

  it('fails the document with the reason when a linked ALTO is not of its page', async () => {
    const url = await publish('wrong-alto', 2, [1]);
    source.files.set('/wrong-alto/1.xml', {
      type: 'application/xml',
      body: Buffer.from(
        alto(['x']).replace(`WIDTH="${WIDTH}" HEIGHT="${HEIGHT}"`, `WIDTH="${WIDTH * 3}" HEIGHT="${HEIGHT}"`),
      ),
    });
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    await expect(runQueued(JobName.IiifImport, document.id)).rejects.toBeInstanceOf(UnrecoverableError);
    const failed = await documents.findById(document.id);
    expect(failed?.error).toMatchObject({ code: 'invalid_ocr_file' });
    expect(failed?.error?.detail).toMatch(/ALTO of canvas 1 .*aspect ratios differ/);
    await clearJobs(document.id);
  });

  it('keeps a 503 transient: the document stays Processing for a retry, and fails with the reason on the last attempt', async () => {
    const url = await publish('down', 1);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    source.unavailable.set('/down/1.png', 100);
    const first = runQueued(JobName.IiifImport, document.id, 0);
    await expect(first).rejects.toThrow(/answered 503/);
    await expect(first).rejects.not.toBeInstanceOf(UnrecoverableError);
    expect(await documents.findById(document.id)).toMatchObject({ status: DocumentStatus.Processing });
    await expect(runQueued(JobName.IiifImport, document.id, 4)).rejects.toThrow(/answered 503/);
    const failed = await documents.findById(document.id);
    expect(failed).toMatchObject({ status: DocumentStatus.Failed });
    expect(failed?.error?.detail).toMatch(/image of canvas 1 .*answered 503/);
    source.unavailable.delete('/down/1.png');
    await clearJobs(document.id);
  });

  it('re-queues an import left without a job (Redis lost it) from the document row', async () => {
    const url = await publish('lost', 1);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    await clearJobs(document.id);
    const requeued = await app.get(ReconcilerService).reconcile(-60_000);
    expect(requeued).toBeGreaterThanOrEqual(1);
    expect((await queue.getJob(jobIdOf(JobName.IiifImport, document.id)))?.data).toMatchObject({
      documentId: document.id,
    });
    expect(await queue.getJob(jobIdOf(JobName.Ocr, document.id))).toBeUndefined();
    // Whatever else it queued (earlier tests' documents whose jobs were cleared) is not this suite's business.
    await queue.drain(true);
  });
});

describe('on a real BullMQ worker', () => {
  let worker: Worker;

  afterAll(async () => worker?.close());

  it('retries an image that answered 503 with backoff, and the document becomes Processed', async () => {
    const handlers = new Map(app.get<JobHandler[]>(JOB_HANDLERS).map((h) => [h.jobName, h]));
    worker = new Worker(DOCUMENTS_QUEUE, (job) => handlers.get(job.name as JobName)!.handle(job.data, job), {
      connection: redisConnectionOf(services.env.REDIS_URL),
      prefix: app.get(DeploymentIdentity).queuePrefix,
    });
    const url = await publish('flaky', 2);
    source.unavailable.set('/flaky/2.png', 1);
    const { document } = await imports.import({ tenantId: 't1', manifestUrl: url });
    const deadline = Date.now() + 60_000;
    let current = await documents.findById(document.id);
    while (current?.status === DocumentStatus.Processing && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      current = await documents.findById(document.id);
    }
    expect(current).toMatchObject({ status: DocumentStatus.Processed, pageCount: 2, error: null });
    // Canvas 2's image: a 503, then served on the retry.
    expect(source.hits.filter((h) => h === '/flaky/2.png')).toHaveLength(2);
  }, 90_000);
});
