/**
 * IIIF images on real Postgres, Redis and Meilisearch (no worker: OCR is not the subject, pages
 * are stored as OCR would): painting images of exactly the declared size, the Image API 3.0
 * (info.json, tiles, errors), its cache, signed links and CORS.
 */
import { INestApplication } from '@nestjs/common';
import { DocumentRepository, PageRepository } from '@recto/database';
import { IiifLinkSigner, manifestV3Shape } from '@recto/iiif';
import { ApiTestApp, startApiTestApp, TestServices } from '@recto/testing';
import Ajv from 'ajv';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';
import sharp from 'sharp';
import request from 'supertest';
import { createApiApp } from '../bootstrap-api';

const KEY_A = 'key-a-0123456789';
const KEY_B = 'key-b-0123456789';
const SIGNING = { id: 'k2', secret: 's'.repeat(40) };
const OLD_SIGNING = { id: 'k1', secret: 'o'.repeat(40) };

let testApp: ApiTestApp;
let services: TestServices;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  testApp = await startApiTestApp(
    'iiif-image',
    {
      API_KEYS: `${KEY_A}:acme,${KEY_B}:globex`,
      API_KEY_CACHE_SECONDS: '0',
      IIIF_SIGNING_KEYS: `${SIGNING.id}:${SIGNING.secret},${OLD_SIGNING.id}:${OLD_SIGNING.secret}`,
      THROTTLE_LIMIT: '0',
    },
    createApiApp,
  );
  ({ services, app } = testApp);
  http = request(app.getHttpServer());
});

afterAll(() => testApp?.stop());

const asA = (r: request.Test) => r.set('Authorization', KEY_A);
/** supertest buffers images into `body` only with a parser. */
const binary = (r: request.Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
const sizeOf = async (data: Buffer) => {
  const meta = await sharp(data).metadata();
  return { width: meta.width, height: meta.height, format: meta.format };
};
/** A server-relative path of one of our absolute URLs. */
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/** Uploads `file` and stores pages of the given sizes as the OCR would have. */
async function withPages(file: Buffer, name: string, sizes: { width: number; height: number }[]): Promise<string> {
  const upload = await asA(http.post('/v1/documents')).attach('file', file, name);
  expect(upload.status).toBe(202);
  const id = upload.body.document.id as string;
  await app.get(PageRepository).replaceDocumentPages(
    id,
    sizes.map((size, i) => ({ number: i + 1, ...size, content: '', source: 'ocr', words: [] })),
  );
  return id;
}

async function twoPagePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const [w, h] of [
    [612, 792],
    [792, 612],
  ]) {
    const page = pdf.addPage([w, h]);
    page.drawRectangle({ x: 50, y: 50, width: 200, height: 100, color: rgb(0.1, 0.2, 0.8) });
  }
  return Buffer.from(await pdf.save());
}

/** Pages in the OCR's pixels of each PDF page (300 dpi, with the OCR's rounding off by one). */
const PDF_PAGES = [
  { width: 2550, height: 3301 },
  { width: 3300, height: 2550 },
];

describe('painting images', () => {
  it('have exactly the declared size, for every canvas of a multi-page PDF', async () => {
    const id = await withPages(await twoPagePdf(), 'two.pdf', PDF_PAGES);
    const manifest = await asA(http.get(`/v1/documents/${id}/iiif/manifest`));
    expect(manifest.status).toBe(200);
    const ajv = new Ajv({ allErrors: true, strict: false });
    expect(ajv.validate(manifestV3Shape, manifest.body) ? [] : ajv.errors).toEqual([]);
    const canvases = manifest.body.items as {
      width: number;
      height: number;
      items: { items: { body: { id: string; width: number; height: number; service: { id: string }[] } }[] }[];
    }[];
    expect(canvases.map((c) => ({ width: c.width, height: c.height }))).toEqual(PDF_PAGES);
    for (const canvas of canvases) {
      const body = canvas.items[0].items[0].body;
      const image = await binary(asA(http.get(pathOf(body.id))));
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/jpeg');
      expect(await sizeOf(image.body)).toEqual({ width: body.width, height: body.height, format: 'jpeg' });
      // The image service's full size is the canvas's, so canvas coordinates are its pixels.
      const info = await asA(http.get(pathOf(`${body.service[0].id}/info.json`)));
      expect(info.body).toMatchObject({ type: 'ImageService3', width: canvas.width, height: canvas.height });
      const full = await binary(asA(http.get(pathOf(`${body.service[0].id}/full/max/0/default.png`))));
      expect(await sizeOf(full.body)).toEqual({ width: canvas.width, height: canvas.height, format: 'png' });
    }
  });
});

describe('IIIF Image API 3.0', () => {
  let id: string;
  let service: string;
  // 600 dpi US letter.
  const page = { width: 5100, height: 6600 };

  beforeAll(async () => {
    const scan = await sharp({ create: { ...page, channels: 3, background: '#ffffff' } })
      .composite([
        // Dark top-left quarter, a red mark at (4000, 5000): checks that regions come from the right place.
        { input: { create: { width: 2550, height: 3300, channels: 3, background: '#202020' } }, left: 0, top: 0 },
        { input: { create: { width: 200, height: 100, channels: 3, background: '#ff0000' } }, left: 4000, top: 5000 },
      ])
      .png({ compressionLevel: 1 })
      .toBuffer();
    id = await withPages(scan, 'scan-600dpi.png', [page]);
    service = `/v1/documents/${id}/iiif/image/1`;
  });

  it('describes the page in info.json: level 2, tiles with scale factors, sizes, extras', async () => {
    const res = await asA(http.get(`${service}/info.json`).set('Accept', 'application/ld+json'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/ld+json;profile="http://iiif.io/api/image/3/context.json"');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const info = JSON.parse(res.text);
    expect(info).toMatchObject({
      '@context': 'http://iiif.io/api/image/3/context.json',
      id: expect.stringMatching(new RegExp(`${service}$`)),
      type: 'ImageService3',
      protocol: 'http://iiif.io/api/image',
      profile: 'level2',
      width: 5100,
      height: 6600,
      tiles: [{ width: 512, height: 512, scaleFactors: [1, 2, 4, 8, 16] }],
      extraQualities: ['color', 'gray', 'bitonal'],
      extraFormats: ['webp'],
    });
    expect(info.sizes.at(-1)).toEqual({ width: 5100, height: 6600 });
    const plain = await asA(http.get(`${service}/info.json`));
    expect(plain.headers['content-type']).toContain('application/json');
    const base = await asA(http.get(service));
    expect(base.status).toBe(303);
    expect(base.headers.location).toBe(`${service}/info.json`);
  });

  it('cuts regions, sizes, rotations, qualities and formats', async () => {
    const get = async (path: string) => {
      const res = await binary(asA(http.get(`${service}/${path}`)));
      expect(res.status).toBe(200);
      return res;
    };
    const mark = await get('4000,5000,200,100/max/0/default.png');
    const { data, info } = await sharp(mark.body).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, data[0], data[1], data[2]]).toEqual([200, 100, 255, 0, 0]);
    expect(mark.headers.link).toContain(`${service}/4000,5000,200,100/max/0/default.png>;rel="canonical"`);
    expect(mark.headers.link).toContain('<http://iiif.io/api/image/3/level2.json>;rel="profile"');
    expect(await sizeOf((await get('full/510,/0/default.jpg')).body)).toMatchObject({ width: 510, height: 660 });
    expect(await sizeOf((await get('full/,330/0/default.webp')).body)).toEqual({
      width: 255,
      height: 330,
      format: 'webp',
    });
    expect(await sizeOf((await get('square/pct:10/0/default.jpg')).body)).toMatchObject({ width: 510, height: 510 });
    expect(await sizeOf((await get('pct:0,0,50,50/!200,200/90/gray.jpg')).body)).toMatchObject({
      width: 200,
      height: 155,
    });
    expect(await sizeOf((await get('0,0,10,10/^100,100/!180/bitonal.png')).body)).toMatchObject({
      width: 100,
      height: 100,
    });
    const gray = await sharp((await get('0,0,64,64/max/0/gray.png')).body).stats();
    expect(gray.channels[0].mean).toBeLessThan(40);
    // Edge tile: cropped at the image's edge.
    expect(await sizeOf((await get('4608,6144,512,512/492,456/0/default.jpg')).body)).toMatchObject({
      width: 492,
      height: 456,
    });
    const tile = await get('0,0,512,512/512,512/0/default.jpg');
    const again = await asA(
      http.get(`${service}/0,0,512,512/512,512/0/default.jpg`).set('If-None-Match', tile.headers.etag),
    );
    expect(again.status).toBe(304);
  });

  it('renders the page once and keeps announced tiles, not arbitrary requests', async () => {
    const dir = join(services.env.DATA_DIR, 'page-images', 'acme');
    const files = async () => {
      const found: string[] = [];
      const walk = async (d: string) => {
        for (const entry of await readdir(d, { withFileTypes: true })) {
          if (entry.isDirectory()) await walk(join(d, entry.name));
          else found.push(entry.name);
        }
      };
      await walk(dir);
      return found;
    };
    const before = await files();
    for (const path of ['1024,1024,1024,1024/512,512/0/default.jpg', '0,512,512,512/512,512/0/default.jpg']) {
      expect((await asA(http.get(`${service}/${path}`))).status).toBe(200);
    }
    expect((await asA(http.get(`${service}/13,17,300,300/max/0/default.jpg`))).status).toBe(200);
    const after = await files();
    expect(after.filter((f) => f.endsWith('.tif')).length).toBe(before.filter((f) => f.endsWith('.tif')).length);
    expect(after.length - before.length).toBe(2);
  });

  it('answers malformed or impossible requests with 400 problem details, missing pages with 404', async () => {
    for (const path of [
      '0,0,0,10/max/0/default.jpg',
      '6000,0,10,10/max/0/default.jpg',
      'full/6000,/0/default.jpg',
      'full/max/45x/default.jpg',
      'full/max/0/sepia.jpg',
      'full/max/0/default.gif',
      'full/max/0/default',
    ]) {
      const res = await asA(http.get(`${service}/${path}`));
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'invalid_image_request']);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    expect((await asA(http.get(`/v1/documents/${id}/iiif/image/2/info.json`))).status).toBe(404);
    const otherTenant = await http.get(`${service}/info.json`).set('Authorization', KEY_B);
    expect([otherTenant.status, otherTenant.body.code]).toEqual([404, 'document_not_found']);
  });
});

describe('signed IIIF links and CORS', () => {
  let id: string;

  beforeAll(async () => {
    const scan = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    id = await withPages(scan, 'linked.png', [{ width: 800, height: 1000 }]);
  });

  it('lets a viewer without a key read manifest, images and search through the link only', async () => {
    const created = await asA(http.post(`/v1/documents/${id}/iiif/links`).send({ expires_in: 3600 }));
    expect(created.status).toBe(201);
    const { manifest: manifestUrl, expires_at } = created.body;
    expect(Date.parse(expires_at) - Date.now()).toBeGreaterThan(3500_000);
    const root = new RegExp(`/v1/iiif/k2\\.\\d+\\.[A-Za-z0-9_-]{43}/${id}/`);
    expect(manifestUrl).toMatch(root);

    const manifest = await http.get(pathOf(manifestUrl));
    expect(manifest.status).toBe(200);
    // Everything a viewer fetches is under the link; ids of canvases stay the document's.
    const body = manifest.body.items[0].items[0].items[0].body;
    for (const url of [
      manifest.body.id,
      body.id,
      body.service[0].id,
      manifest.body.service[0]['@id'],
      manifest.body.service[0].service['@id'],
      manifest.body.service[1].id,
    ]) {
      expect(url).toMatch(root);
    }
    expect(manifest.body.items[0].id).toMatch(new RegExp(`/v1/documents/${id}/iiif/canvas/1$`));
    const info = await http.get(pathOf(`${body.service[0].id}/info.json`));
    expect(info.status).toBe(200);
    expect(pathOf(JSON.parse(info.text).id)).toBe(pathOf(body.service[0].id));
    const image = await binary(http.get(pathOf(body.id)));
    expect(await sizeOf(image.body)).toMatchObject({ width: body.width, height: body.height });
    expect((await http.get(pathOf(manifest.body.service[1].id) + '?q=x')).status).toBe(200);
    // Without the link, the keyed route still wants a key.
    expect((await http.get(`/v1/documents/${id}/iiif/manifest`)).status).toBe(401);
    // A link cannot mint links.
    expect((await http.post(pathOf(manifestUrl).replace(/manifest$/, 'links'))).status).toBe(404);
  });

  it('refuses tampered, foreign and expired links without telling them apart from missing documents', async () => {
    const other = await withPages(
      await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
      'other.png',
      [{ width: 10, height: 10 }],
    );
    const { manifest } = (await asA(http.post(`/v1/documents/${id}/iiif/links`).send({}))).body;
    const token = pathOf(manifest).split('/')[3];
    const [kid, exp, mac] = token.split('.');
    const tries = [
      `/v1/iiif/${token}/${other}/manifest`,
      `/v1/iiif/${kid}.${Number(exp) + 1}.${mac}/${id}/manifest`,
      `/v1/iiif/k9.${exp}.${mac}/${id}/manifest`,
      `/v1/iiif/${token}/not-a-uuid/manifest`,
      `/v1/iiif/${token}/00000000-0000-4000-8000-000000000000/manifest`,
    ];
    for (const path of tries) {
      const res = await http.get(path);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'document_not_found']);
    }
    // Signed by the older key (still configured): accepted; expired: 403.
    const acme = (await app.get(DocumentRepository).findById(id))!.tenantId;
    const oldKey = new IiifLinkSigner([OLD_SIGNING]).sign(acme, id, new Date(Date.now() + 60_000));
    expect((await http.get(`/v1/iiif/${oldKey}/${id}/manifest`)).status).toBe(200);
    const expired = new IiifLinkSigner([SIGNING]).sign(acme, id, new Date(Date.now() - 1000));
    const res = await http.get(`/v1/iiif/${expired}/${id}/image/1/info.json`);
    expect([res.status, res.body.code]).toEqual([403, 'iiif_link_expired']);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    // Another tenant cannot make a link to it.
    const foreign = await http.post(`/v1/documents/${id}/iiif/links`).set('Authorization', KEY_B).send({});
    expect([foreign.status, foreign.body.code]).toEqual([404, 'document_not_found']);
  });

  it('answers CORS preflights on IIIF routes without a key', async () => {
    const preflight = await http
      .options(`/v1/documents/${id}/iiif/image/1/info.json`)
      .set('Origin', 'https://viewer.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': expect.stringContaining('Authorization'),
    });
    const other = await http.options('/v1/documents').set('Origin', 'https://viewer.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
