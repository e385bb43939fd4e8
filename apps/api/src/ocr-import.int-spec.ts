/**
 * Importing existing OCR (ALTO, hOCR, PAGE) through the HTTP API on real Postgres, Redis and
 * Meilisearch: upload → the OCR job with the real `import` provider → Processed → search →
 * highlight polygons against the boxes in the files. Recto's own OCR is faked (reprocess only
 * swaps providers; recognition is not the subject).
 */
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplication, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { ApiConfig, ConfigModule, validateConfig, WorkerConfig } from '@recto/config';
import { DatabaseModule } from '@recto/database';
import { DocumentProcessingModule, DocumentsModule, OcrJobHandler, OcrProviderRegistry } from '@recto/documents';
import { ImportOcrAdapter, OcrResult } from '@recto/ocr';
import { DOCUMENTS_QUEUE, jobIdOf, JobName, QueueModule } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex, SearchModule } from '@recto/search';
import { StorageModule } from '@recto/storage';
import {
  billionLaughsAlto,
  deeplyNestedAlto,
  FakeOcrProvider,
  iou,
  ocrFixture,
  polygonToBox,
  startTestServices,
  TestServices,
  xxeAlto,
  type Box,
} from '@recto/testing';
import { Job, Queue } from 'bullmq';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from './bootstrap-api';

const localWords: OcrResult['pages'][number]['words'] = [
  {
    content: 'recognised',
    line: 0,
    confidence: 0.9,
    polygon: [
      [0.1, 0.1],
      [0.3, 0.1],
      [0.3, 0.12],
      [0.1, 0.12],
    ],
  },
];
const fakeLocal = new FakeOcrProvider(() => ({
  provider: 'local',
  pages: [{ number: 1, width: 1000, height: 1000, words: localWords, source: 'ocr' }],
}));

@Module({
  providers: [
    {
      provide: OcrProviderRegistry,
      useValue: new OcrProviderRegistry([new ImportOcrAdapter({ maxPages: 200, maxPixels: 100_000_000 }), fakeLocal]),
    },
  ],
  exports: [OcrProviderRegistry],
})
class ImportAndFakeLocalOcrModule {}

let services: TestServices;
let api: INestApplication;
let worker: TestingModule;
let http: ReturnType<typeof request>;
let queue: Queue;

beforeAll(async () => {
  services = await startTestServices('ocr-import');
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
      DocumentProcessingModule.forRoot({ ocr: ImportAndFakeLocalOcrModule }),
    ],
  }).compile();
  await worker.init();
  queue = worker.get(getQueueToken(DOCUMENTS_QUEUE));
  await worker.get<SearchIndex>(SEARCH_INDEX).ensureSettings();
}, 120_000);

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await worker?.close();
  await api?.close();
  await services?.stop();
});

const jobOf = (data: object) => ({ data, attemptsMade: 0, opts: { attempts: 3 }, id: 'test' }) as unknown as Job;

/** Runs the document's queued OCR job the way the worker does, with the provider the API queued. */
async function processQueued(documentId: string): Promise<void> {
  const job = await queue.getJob(jobIdOf(JobName.Ocr, documentId));
  expect(job).toBeDefined();
  await worker.get(OcrJobHandler).handle(job!.data, jobOf(job!.data));
  for (const name of [JobName.Ocr, JobName.Index]) await (await queue.getJob(jobIdOf(name, documentId)))?.remove();
}

const blankPng = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();

async function upload(ocr: { name: string; bytes?: Buffer }[], image?: { width: number; height: number }) {
  let req = http.post('/v1/documents');
  if (image) req = req.attach('file', await blankPng(image.width, image.height), 'page.png');
  for (const o of ocr) req = req.attach('ocr', o.bytes ?? ocrFixture(o.name), o.name);
  return req;
}

async function importProcessed(ocr: { name: string; bytes?: Buffer }[], image?: { width: number; height: number }) {
  const res = await upload(ocr, image);
  expect(res.status).toBe(202);
  expect(res.body.document.ocr_provider).toBe('import');
  await processQueued(res.body.document.id);
  const doc = await http.get(`/v1/documents/${res.body.document.id}`);
  expect(doc.body.document).toMatchObject({ status: 'Processed', ocr_provider: 'import' });
  return doc.body.document as { id: string; page_count: number };
}

async function highlights(id: string, q: string) {
  const res = await http.get(`/v1/documents/${id}/search`).query({ q });
  expect(res.status).toBe(200);
  return res.body.hits as { page: number; highlights: { content: string; polygon: [number, number][] }[] }[];
}

/** The stored files and rows: what a refused upload must not add to. */
async function storedState() {
  const files = async (dir: string): Promise<string[]> =>
    readdir(dir, { recursive: true }).then(
      (names) => names.map(String),
      () => [],
    );
  const data = services.env.DATA_DIR;
  const [{ count }] = await worker.get(DataSource).query('SELECT count(*)::int AS count FROM documents');
  const [{ ocr }] = await worker.get(DataSource).query('SELECT count(*)::int AS ocr FROM ocr_files');
  return {
    documents: count,
    ocrFiles: ocr,
    originals: await files(join(data, 'originals')),
    tmp: await files(join(data, 'tmp')),
  };
}

describe('import per format and dialect', () => {
  // word: searched; box: its box in the file, in the file's unit; size: the page in that unit.
  const cases: {
    name: string;
    file: string;
    image?: { width: number; height: number };
    word: string;
    box: Box;
    size: [number, number];
  }[] = [
    {
      name: 'ALTO v4 pixel, with image',
      file: 'alto-v4-pixel.xml',
      image: { width: 1269, height: 1947 },
      word: 'Vorerinnerung',
      box: [323, 594, 809, 650],
      size: [1269, 1947],
    },
    {
      name: 'ALTO v4 pixel newspaper, OCR-only',
      file: 'alto-v4-pixel-newspaper.xml',
      word: 'castellanos',
      box: [145, 1364, 275, 1389],
      size: [1303, 1937],
    },
    {
      name: 'ALTO v2 inch1200, 2 pages, OCR-only',
      file: 'alto-v2-inch1200.xml',
      word: 'dette',
      box: [3212, 2608, 3532, 2736],
      size: [9148, 10928],
    },
    {
      name: 'ALTO CCS inch1200 (Chronicling America), with image',
      file: 'alto-ccs-inch1200-chronicling-america.xml',
      image: { width: 789, height: 1045 },
      word: 'LANCASTER',
      box: [7272, 1108, 8828, 1312],
      size: [25248, 33432],
    },
    {
      name: 'ALTO v3 mm10 floats, with image',
      file: 'alto-v3-mm10.xml',
      image: { width: 2480, height: 3508 },
      word: 'archives',
      box: [490.5, 200, 770.75, 260],
      size: [2100, 2970],
    },
    {
      name: 'ALTO v4 prefixed, OCR-only',
      file: 'alto-v4-prefixed.xml',
      word: 'Rathaus',
      box: [300, 470, 650, 528],
      size: [2480, 3508],
    },
    {
      name: 'hOCR XHTML (BSB), with image',
      file: 'multicolumn.hocr',
      image: { width: 1350, height: 1874 },
      word: 'Betriebsbeamte',
      box: [1936, 197, 2211, 259],
      size: [2701, 3749],
    },
    {
      name: 'hOCR HTML, OCR-only',
      file: 'hyphenated.hocr.html',
      word: 'Dürrenmatts',
      box: [833, 180, 1055, 211],
      size: [1662, 2618],
    },
    {
      name: 'hOCR tag soup, OCR-only',
      file: 'hocr-tag-soup.html',
      word: 'Chips',
      box: [320, 100, 500, 150],
      size: [1200, 1600],
    },
    {
      name: 'PAGE 2019, with image',
      file: 'page-2019.xml',
      image: { width: 1000, height: 1500 },
      word: 'Leipzig',
      box: [740, 900, 1000, 980],
      size: [2000, 3000],
    },
    {
      name: 'PAGE 2013, OCR-only',
      file: 'page-2013.xml',
      word: 'Pfarrei',
      box: [100, 320, 380, 410],
      size: [1600, 2400],
    },
  ];

  it.each(cases)(
    '$name: Processed, searchable, highlight on the word’s box',
    async ({ file, image, word, box, size }) => {
      const doc = await importProcessed([{ name: file }], image);
      const hits = await highlights(doc.id, word);
      expect(hits.length).toBeGreaterThan(0);
      const best = Math.max(
        ...hits.flatMap((h) => h.highlights.map((hl) => iou(polygonToBox(hl.polygon, size[0], size[1]), box))),
      );
      expect(best).toBeGreaterThan(0.98);
      const page = await http.get(`/v1/documents/${doc.id}/pages/${hits[0].page}`);
      expect(page.body.page.source).toBe('import');
      if (image) expect([page.body.page.width, page.body.page.height]).toEqual([image.width, image.height]);
    },
  );

  it('joins words hyphenated across lines for the index and highlights both halves', async () => {
    const hocr = await importProcessed([
      { name: 'hyphenated.hocr.html', bytes: Buffer.concat([ocrFixture('hyphenated.hocr.html'), Buffer.from('\n')]) },
    ]);
    const [hit] = await highlights(hocr.id, 'verbunden');
    expect(hit.highlights.map((h) => h.content)).toEqual(['verbun\u00AD', 'den']);
    const alto = await importProcessed([{ name: 'alto-v3-mm10.xml' }]);
    const [altoHit] = await highlights(alto.id, 'preserved');
    expect(altoHit.highlights.map((h) => h.content)).toEqual(['preser-', 'ved']);
  });

  it('several ocr parts are pages in part order; a multi-page file is several pages', async () => {
    const doc = await importProcessed([
      { name: 'page-2013.xml' },
      { name: 'alto-v2-inch1200.xml' },
      { name: 'hocr-tag-soup.html' },
    ]);
    expect(doc.page_count).toBe(4);
    expect((await highlights(doc.id, 'Taufregister'))[0].page).toBe(1);
    expect((await highlights(doc.id, 'dette'))[0].page).toBe(2);
    expect((await highlights(doc.id, 'Chips'))[0].page).toBe(4);
  });
});

describe('export → import round trip', () => {
  type StoredWord = { content: string; polygon: [number, number][]; confidence: number | null };
  const pageOf = async (id: string, n: number) =>
    (await http.get(`/v1/documents/${id}/pages/${n}`)).body.page as {
      width: number;
      height: number;
      content: string;
      words: StoredWord[];
    };

  // A real newspaper page (ALTO) and a PAGE file with word polygons, each exported in every XML
  // format and imported again as a new document: the same words, in the same order, on the same
  // polygons within the half pixel that whole-pixel coordinates cost.
  it.each([
    ['alto-v4-pixel-newspaper.xml', 'alto'],
    ['alto-v4-pixel-newspaper.xml', 'hocr'],
    ['alto-v4-pixel-newspaper.xml', 'page'],
    ['page-2019.xml', 'alto'],
    ['page-2019.xml', 'hocr'],
    ['page-2019.xml', 'page'],
  ])('%s exported as %s and imported again', async (file, format) => {
    const original = await importProcessed([
      { name: file, bytes: Buffer.concat([ocrFixture(file), Buffer.from(`<!-- ${format} -->`)]) },
    ]);
    const exported = await http.get(`/v1/documents/${original.id}/export?format=${format}&page=1`);
    expect(exported.status).toBe(200);
    const again = await importProcessed([{ name: `export.${format}`, bytes: Buffer.from(exported.text) }]);
    const [before, after] = [await pageOf(original.id, 1), await pageOf(again.id, 1)];
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    expect(after.words.map((w) => w.content)).toEqual(before.words.map((w) => w.content));
    expect(after.content).toBe(before.content);
    const tolerance = 0.5 / Math.min(before.width, before.height) + 2e-6;
    after.words.forEach((w, i) => {
      // Stored to 0.01, which hOCR's whole percents carry exactly.
      expect(w.confidence).toBe(before.words[i].confidence);
      w.polygon.forEach(([x, y], k) => {
        expect(Math.abs(x - before.words[i].polygon[k][0])).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(y - before.words[i].polygon[k][1])).toBeLessThanOrEqual(tolerance);
      });
    });
  });
});

describe('OCR-only documents', () => {
  it('take their page size from the file (ALTO inch1200 at 300 dpi) and answer a clear error for page images', async () => {
    const doc = await importProcessed([
      { name: 'alto-v2-inch1200.xml', bytes: Buffer.concat([ocrFixture('alto-v2-inch1200.xml'), Buffer.from(' ')]) },
    ]);
    const page = await http.get(`/v1/documents/${doc.id}/pages/1`);
    expect([page.body.page.width, page.body.page.height]).toEqual([2287, 2732]);
    const image = await http.get(`/v1/documents/${doc.id}/pages/1/image`);
    expect(image.status).toBe(404);
    expect(image.body).toMatchObject({ code: 'page_image_unavailable' });
    const manifest = await http.get(`/v1/documents/${doc.id}/iiif/manifest`);
    expect(manifest.status).toBe(200);
    expect(manifest.body.items[0]).toMatchObject({ width: 2287, height: 2732 });
    expect(manifest.body.items[0].items[0].items).toEqual([]);
  });
});

describe('refusals: 422, nothing stored', () => {
  const refused = async (res: request.Response, pattern: RegExp) => {
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'invalid_ocr_file' });
    expect(res.body.detail).toMatch(pattern);
  };

  it.each([
    ['XXE', () => xxeAlto(), /declares entities/],
    ['billion laughs', () => billionLaughsAlto(), /declares entities/],
    ['50 MB of nesting', () => deeplyNestedAlto(), /nest deeper than 256/],
    ['malformed XML', () => Buffer.from('<?xml version="1.0"?><alto><Layout><Page WIDTH="1"'), /not well-formed/],
    ['not an OCR format', () => Buffer.from('just some text'), /not ALTO, hOCR or PAGE/],
  ])('%s', async (_name, make, pattern) => {
    const before = await storedState();
    await refused(await upload([{ name: 'hostile.xml', bytes: make() }], { width: 100, height: 100 }), pattern);
    expect(await storedState()).toEqual(before);
  });

  it('an OCR page whose aspect ratio differs from its image by more than 2%, naming the page', async () => {
    const before = await storedState();
    const res = await upload([{ name: 'alto-v4-pixel.xml' }], { width: 1269, height: 1800 });
    await refused(res, /page 1: .*aspect ratios differ by 7\.6%/);
    expect(res.body.errors[0].pointer).toBe('/pages/1');
    expect(await storedState()).toEqual(before);
  });

  it('more OCR pages than the file has', async () => {
    const before = await storedState();
    await refused(
      await upload([{ name: 'alto-v2-inch1200.xml' }], { width: 2287, height: 2732 }),
      /2 page\(s\) but the file has 1/,
    );
    expect(await storedState()).toEqual(before);
  });
});

describe('reprocess between imported and recognised OCR', () => {
  it('local replaces the imported words, import brings them back', async () => {
    const doc = await importProcessed([{ name: 'page-2019.xml' }], { width: 2000, height: 3000 });
    expect(await highlights(doc.id, 'Leipzig')).toHaveLength(1);
    const local = await http.post(`/v1/documents/${doc.id}/reprocess`).send({ provider: 'local' });
    expect(local.status).toBe(202);
    expect(local.body.document.ocr_provider).toBe('local');
    await processQueued(doc.id);
    expect(await highlights(doc.id, 'Leipzig')).toHaveLength(0);
    expect(await highlights(doc.id, 'recognised')).toHaveLength(1);
    const back = await http.post(`/v1/documents/${doc.id}/reprocess`).send({ provider: 'import' });
    expect(back.status).toBe(202);
    await processQueued(doc.id);
    expect(await highlights(doc.id, 'Leipzig')).toHaveLength(1);
    expect(await highlights(doc.id, 'recognised')).toHaveLength(0);
  });

  it('import on a document without OCR files, and local on an OCR-only one, are 422', async () => {
    const plain = await http.post('/v1/documents').attach('file', await blankPng(40, 41), 'plain.png');
    expect(plain.status).toBe(202);
    const importPlain = await http
      .post(`/v1/documents/${plain.body.document.id}/reprocess`)
      .send({ provider: 'import' });
    expect(importPlain.status).toBe(422);
    expect(importPlain.body.detail).toMatch(/no stored OCR files/);
    const ocrOnly = await importProcessed([
      { name: 'page-2013.xml', bytes: Buffer.concat([ocrFixture('page-2013.xml'), Buffer.from('\n\n')]) },
    ]);
    const localOcrOnly = await http.post(`/v1/documents/${ocrOnly.id}/reprocess`).send({ provider: 'local' });
    expect(localOcrOnly.status).toBe(422);
    expect(localOcrOnly.body.detail).toMatch(/needs a page image/);
  });
});
