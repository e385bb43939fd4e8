/**
 * GET /v1/documents/{id}/export on real Postgres, Redis and Meilisearch (no worker: the words are
 * stored as the OCR job would store them). Each format is checked the way its readers see it:
 * ALTO and PAGE against their published schemas, hOCR as XHTML, the PDF through poppler.
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { DocumentRepository, PageRepository } from '@recto/database';
import { buildPageText } from '@recto/documents';
import { parseAlto } from '@recto/ocr-formats';
import {
  ALTO_4_XSD,
  expectProblem,
  hasTool,
  iou,
  PAGE_2019_XSD,
  pdfTextLayout,
  polygonToBox,
  startTestServices,
  TestServices,
  xmllint,
} from '@recto/testing';
import { unzipSync } from 'fflate';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from './bootstrap-api';

const KEY_A = 'export-a-0123456789';
const KEY_B = 'export-b-0123456789';
const tools = hasTool('xmllint') && hasTool('pdftotext');
if (!tools)
  console.warn(
    'xmllint/pdftotext (libxml2-utils, poppler-utils) missing: format validation in the export spec skipped',
  );

let services: TestServices;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  services = await startTestServices('export');
  const config = validateConfig(ApiConfig, {
    ...services.env,
    API_KEYS: `${KEY_A}:acme,${KEY_B}:globex`,
    API_KEY_CACHE_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  app = await createApiApp(config);
  await app.init();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await app?.close();
  await services?.stop();
});

const asA = (r: request.Test) => r.set('Authorization', KEY_A);
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** Lines of words, laid out left to right, 0.1 of the page wide each, one line every 0.04. */
const LINES = [
  ['Attorney', 'General', '&', 'Co.'],
  ['a', 'word', 'that', 'ent-'],
  ['stehen', 'will', 'größer'],
];

function storedPage(number: number, source: string, width: number, height: number) {
  const words = LINES.flatMap((line, l) =>
    line.map((content, i) => {
      const [x, y] = [0.1 + i * 0.12, 0.1 + l * 0.04];
      return {
        content,
        line: l,
        confidence: l === 2 && i === 1 ? null : 0.9,
        polygon: [
          [x, y],
          [x + 0.1, y],
          [x + 0.1, y + 0.025],
          [x, y + 0.025],
        ] as [number, number][],
      };
    }),
  );
  const { content, offsets } = buildPageText(words);
  return {
    number,
    width,
    height,
    content,
    source,
    words: words.map((w, i) => ({ ...w, charStart: offsets[i][0], charEnd: offsets[i][1] })),
  };
}

/** A processed two-page document: an OCRed image page, then a page read from a PDF text layer (sizes in points). */
let uploads = 0;

async function processedDocument(key = KEY_A): Promise<string> {
  // Each upload its own pixels: the same bytes twice in a tenant are one document (200, not 202),
  // which a random shade out of 50 made happen now and then.
  const n = uploads++;
  const png = await sharp({
    create: {
      width: 1000,
      height: 1400,
      channels: 3,
      background: { r: 255 - (n % 50), g: 255, b: 250 - Math.floor(n / 50) },
    },
  })
    .png()
    .toBuffer();
  // JSON, not multipart: the name's non-ASCII letters reach the API as sent.
  const upload = await http
    .post('/v1/documents')
    .set('Authorization', key)
    .send({ file_base64: png.toString('base64'), filename: 'Scan 7 – Brief.png' });
  expect(upload.status).toBe(202);
  const id = upload.body.document.id as string;
  await app
    .get(PageRepository)
    .replaceDocumentPages(id, [storedPage(1, 'ocr', 1000, 1400), storedPage(2, 'text-layer', 612, 792)]);
  await app.get(DocumentRepository).markProcessed(id);
  return id;
}

const flatWords = () => LINES.flat();

describe('export formats', () => {
  let id: string;
  beforeAll(async () => {
    id = await processedDocument();
  });

  it('ALTO: an attachment named after the document, valid ALTO 4, pixels (text-layer points at 300 dpi)', async () => {
    const res = await asA(http.get(`/v1/documents/${id}/export?format=alto`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Scan 7 _ Brief.alto.xml"; filename*=UTF-8''${encodeURIComponent('Scan 7 – Brief.alto.xml')}`,
    );
    const alto = res.text;
    if (tools) expect(xmllint(alto, ALTO_4_XSD)).toEqual({ ok: true, errors: '' });
    expect(alto).toContain('<Page ID="page_1" PHYSICAL_IMG_NR="1" WIDTH="1000" HEIGHT="1400"');
    expect(alto).toContain('<Page ID="page_2" PHYSICAL_IMG_NR="2" WIDTH="2550" HEIGHT="3300"');
    expect(alto).toContain('CONTENT="ent" SUBS_TYPE="HypPart1" SUBS_CONTENT="entstehen"');
    expect(alto).toContain('<HYP CONTENT="-"/>');
    // Round trip through the ALTO reader: the same words, in order, on the same polygons within pixel rounding.
    const parsed = parseAlto(Buffer.from(alto)).pages;
    expect(parsed).toHaveLength(2);
    const stored = storedPage(1, 'ocr', 1000, 1400).words;
    for (const page of parsed) {
      expect(page.words.map((w) => w.content)).toEqual(flatWords());
      page.words.forEach((w, i) => {
        const tolerance = 0.5 / Math.min(page.width!, page.height!) + 1e-6;
        w.polygon.forEach(([x, y], k) => {
          expect(Math.abs(x - stored[i].polygon[k][0])).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(y - stored[i].polygon[k][1])).toBeLessThanOrEqual(tolerance);
        });
        expect(w.confidence).toBe(stored[i].confidence);
      });
    }
  });

  it('hOCR: well-formed XHTML with every word, its bbox and confidence; one page with &page=', async () => {
    const res = await asA(http.get(`/v1/documents/${id}/export?format=hocr`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xhtml+xml; charset=utf-8');
    if (tools) expect(xmllint(res.text)).toEqual({ ok: true, errors: '' });
    expect(res.text.match(/class="ocr_page"/g)).toHaveLength(2);
    expect(res.text.match(/class="ocrx_word"/g)).toHaveLength(2 * flatWords().length);
    expect(res.text).toContain('title="bbox 100 140 200 175; x_wconf 90">Attorney</span>');
    expect(res.text).toContain('<meta name="ocr-system"');
    const one = await asA(http.get(`/v1/documents/${id}/export?format=hocr&page=2`));
    expect(one.headers['content-disposition']).toContain('filename="Scan 7 _ Brief-p2.hocr"');
    expect(one.text.match(/class="ocr_page"/g)).toHaveLength(1);
    expect(one.text).toContain('bbox 0 0 2550 3300; ppageno 1');
  });

  it('PAGE: one valid file per page, a ZIP of them for the whole document', async () => {
    const zip = await binary(asA(http.get(`/v1/documents/${id}/export?format=page`)));
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toContain('filename="Scan 7 _ Brief.page.zip"');
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(Object.keys(files)).toEqual(['Scan 7 – Brief-p1.page.xml', 'Scan 7 – Brief-p2.page.xml']);
    for (const xml of Object.values(files).map((f) => Buffer.from(f).toString('utf8'))) {
      if (tools) expect(xmllint(xml, PAGE_2019_XSD)).toEqual({ ok: true, errors: '' });
      expect(xml.match(/<Word /g)).toHaveLength(flatWords().length);
    }
    const one = await asA(http.get(`/v1/documents/${id}/export?format=page&page=1`));
    expect(one.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(one.text).toContain('imageWidth="1000" imageHeight="1400"');
    expect(one.text).toContain(
      '<Word id="word_1_1"><Coords points="100,140 200,140 200,175 100,175"/><TextEquiv conf="0.9"><Unicode>Attorney</Unicode>',
    );
  });

  it('txt: the words as printed, pages separated by a form feed', async () => {
    const res = await asA(http.get(`/v1/documents/${id}/export?format=txt`));
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const page = LINES.map((l) => l.join(' ')).join('\n') + '\n';
    expect(res.text).toBe(`${page}\f${page}`);
  });

  (tools ? it : it.skip)('pdf: each page image with every word findable on its polygon', async () => {
    const res = await binary(asA(http.get(`/v1/documents/${id}/export?format=pdf`)));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('filename="Scan 7 _ Brief.pdf"');
    const layout = pdfTextLayout(new Uint8Array(res.body as Buffer));
    // The image page at the resolution OCR assumes for its size (letter-like); the text-layer page at its own points.
    expect(layout.pages[1]).toEqual({ width: 612, height: 792 });
    expect(layout.pages[0].width / layout.pages[0].height).toBeCloseTo(1000 / 1400, 3);
    const stored = storedPage(1, 'ocr', 1000, 1400).words;
    for (const [p, size] of layout.pages.entries()) {
      const found = layout.words.filter((w) => w.page === p + 1);
      expect(found.map((w) => w.text)).toEqual(flatWords());
      for (const word of stored) {
        const match = found.find((f) => f.text === word.content);
        expect(match).toBeDefined();
        const overlap = iou(polygonToBox(word.polygon, size.width, size.height), [
          match!.xMin,
          match!.yMin,
          match!.xMax,
          match!.yMax,
        ]);
        expect({ word: word.content, iouAtLeast09: overlap >= 0.9 }).toEqual({
          word: word.content,
          iouAtLeast09: true,
        });
      }
    }
    const one = await binary(asA(http.get(`/v1/documents/${id}/export?format=pdf&page=2`)));
    expect(pdfTextLayout(new Uint8Array(one.body as Buffer)).pages).toEqual([{ width: 612, height: 792 }]);
  });
});

describe('export refusals', () => {
  it('404 for a missing document, a malformed id and another tenant’s document', async () => {
    const id = await processedDocument(KEY_B);
    expectProblem(await asA(http.get(`/v1/documents/${randomUUID()}/export?format=alto`)), 404, 'document_not_found');
    expectProblem(await asA(http.get(`/v1/documents/not-a-uuid/export?format=alto`)), 404, 'document_not_found');
    expectProblem(await asA(http.get(`/v1/documents/${id}/export?format=alto`)), 404, 'document_not_found');
    expect((await http.get(`/v1/documents/${id}/export?format=alto`).set('Authorization', KEY_B)).status).toBe(200);
    expectProblem(await http.get(`/v1/documents/${id}/export?format=alto`), 401, 'unauthorized');
  });

  it('409 while the document is still processing', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const upload = await asA(http.post('/v1/documents')).attach('file', png, 'busy.png');
    const res = await asA(http.get(`/v1/documents/${upload.body.document.id}/export?format=hocr`));
    expectProblem(res, 409, 'document_not_processed');
    expect(res.body.detail).toContain('Processing');
  });

  it('422 for a bad or missing format and a page the document does not have', async () => {
    const id = await processedDocument();
    for (const query of ['format=docx', '', 'format=alto&page=0', 'format=alto&page=x']) {
      const res = await asA(http.get(`/v1/documents/${id}/export?${query}`));
      expectProblem(res, 422, 'validation_failed');
    }
    const beyond = await asA(http.get(`/v1/documents/${id}/export?format=alto&page=3`));
    expectProblem(beyond, 422, 'validation_failed');
    expect(beyond.body.errors).toEqual([{ pointer: '/page', detail: 'between 1 and 2' }]);
  });

  it('422 for a searchable PDF of a document without page images, while its text formats export', async () => {
    const id = await processedDocument();
    // What an OCR-only document looks like: no image or PDF behind it.
    await app.get(DataSource).query(`UPDATE documents SET mime_type = 'application/xml' WHERE id = $1`, [id]);
    expectProblem(await asA(http.get(`/v1/documents/${id}/export?format=pdf`)), 422, 'export_unavailable');
    expect((await asA(http.get(`/v1/documents/${id}/export?format=alto`))).status).toBe(200);
  });
});
