/**
 * Importing IIIF manifests by URL against the built api and worker: a local HTTPS server (a
 * self-signed certificate the api trusts through NODE_EXTRA_CA_CERTS; loopback allowed by
 * URL_FETCH_ALLOW_LOOPBACK) publishes the vendored test pages as a Presentation 3 manifest with
 * an Image API 3 service and ALTO in seeAlso, and as a Presentation 2.1 manifest with plain images
 * and no OCR. The first is imported with its ALTO, the second read by real OCR; Content Search
 * answers in the source manifests' canvases and their coordinate spaces.
 */
import {
  iou,
  makeSelfSignedCertificate,
  RectoStack,
  startRectoStack,
  testPage,
  type Box,
  type DevScan,
} from '@recto/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const KEY = 'iiif-import-key-0123456789';
/** Source canvases are twice the images' pixels, as when the image service serves a reduced master. */
const CANVAS_SCALE = 2;
/** A word found once on the page (case aside), long enough that no other word is a near match. */
const uniqueWord = (page: DevScan) =>
  page.words.find(
    (w) =>
      /^[A-Za-z]{7,}$/.test(w.text) &&
      page.words.filter((o) => o.text.toLowerCase() === w.text.toLowerCase()).length === 1,
  )!;
const letter = testPage('synthetic_letter');
const minutes = testPage('synthetic_minutes');
const invoice = testPage('synthetic_invoice');

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** ALTO 4 in pixels from a test page's ground-truth word boxes, one TextLine per row of words. */
function altoOf(page: DevScan): string {
  const lines: DevScan['words'][] = [];
  for (const w of page.words) {
    const last = lines[lines.length - 1]?.[0];
    const centre = (b: Box) => (b[1] + b[3]) / 2;
    if (last && Math.abs(centre(last.bbox) - centre(w.bbox)) < (last.bbox[3] - last.bbox[1]) / 2) {
      lines[lines.length - 1].push(w);
    } else lines.push([w]);
  }
  const strings = (line: DevScan['words']) =>
    line
      .map(
        ({ text, bbox: [x0, y0, x1, y1] }) =>
          `<String CONTENT="${xml(text)}" HPOS="${x0}" VPOS="${y0}" WIDTH="${x1 - x0}" HEIGHT="${y1 - y0}"/>`,
      )
      .join('<SP/>');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Description><MeasurementUnit>pixel</MeasurementUnit></Description>
<Layout><Page ID="p" WIDTH="${page.width}" HEIGHT="${page.height}" PHYSICAL_IMG_NR="1"><PrintSpace><TextBlock ID="b">
${lines.map((l, i) => `<TextLine ID="l${i}">${strings(l)}</TextLine>`).join('\n')}
</TextBlock></PrintSpace></Page></Layout></alto>`;
}

interface Site {
  server: Server;
  base: string;
  hits: string[];
}

async function startSourceSite(cert: Buffer, key: Buffer): Promise<Site> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const hits: string[] = [];
  const server = createServer({ key, cert }, (req, res) => {
    hits.push(req.url ?? '');
    const file = files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const json = (path: string, value: unknown) =>
    files.set(path, { type: 'application/ld+json', body: Buffer.from(JSON.stringify(value)) });

  // Presentation 3: an Image API 3 service per page (only `full/max` is served: what the import asks for), ALTO.
  const v3Canvases = [];
  for (const page of [letter, minutes]) {
    files.set(`/iiif3/${page.name}/full/max/0/default.jpg`, {
      type: 'image/jpeg',
      body: await sharp(page.imagePath).jpeg({ quality: 95 }).toBuffer(),
    });
    files.set(`/alto/${page.name}.xml`, { type: 'application/xml', body: Buffer.from(altoOf(page)) });
    const canvas = `${base}/v3/canvas/${page.name}`;
    v3Canvases.push({
      id: canvas,
      type: 'Canvas',
      label: { none: [page.name] },
      width: page.width * CANVAS_SCALE,
      height: page.height * CANVAS_SCALE,
      items: [
        {
          id: `${canvas}/page`,
          type: 'AnnotationPage',
          items: [
            {
              id: `${canvas}/painting`,
              type: 'Annotation',
              motivation: 'painting',
              body: {
                id: `${base}/iiif3/${page.name}/full/max/0/default.jpg`,
                type: 'Image',
                format: 'image/jpeg',
                width: page.width,
                height: page.height,
                service: [{ id: `${base}/iiif3/${page.name}`, type: 'ImageService3', profile: 'level0' }],
              },
              target: canvas,
            },
          ],
        },
      ],
      seeAlso: [
        {
          id: `${base}/alto/${page.name}.xml`,
          type: 'Dataset',
          format: 'application/xml',
          profile: 'http://www.loc.gov/standards/alto/v4/alto.xsd',
        },
      ],
    });
  }
  json('/v3/manifest.json', {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id: `${base}/v3/manifest.json`,
    type: 'Manifest',
    label: { en: ['Letters and minutes'] },
    items: v3Canvases,
  });

  // Presentation 2.1: a plain PNG, no OCR linked.
  files.set(`/scans/${invoice.name}.png`, { type: 'image/png', body: await readFile(invoice.imagePath) });
  const v2Canvas = (id: string, image: string, width: number, height: number) => ({
    '@id': id,
    '@type': 'sc:Canvas',
    label: 'p. 1',
    width,
    height,
    images: [
      {
        '@type': 'oa:Annotation',
        motivation: 'sc:painting',
        resource: { '@id': image, '@type': 'dctypes:Image' },
        on: id,
      },
    ],
  });
  json('/v2/manifest.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/v2/manifest.json`,
    '@type': 'sc:Manifest',
    label: 'An invoice',
    sequences: [
      {
        '@type': 'sc:Sequence',
        canvases: [v2Canvas(`${base}/v2/canvas/1`, `${base}/scans/${invoice.name}.png`, invoice.width, invoice.height)],
      },
    ],
  });

  // What must be refused.
  json('/not-a-manifest.json', { '@context': 'http://iiif.io/api/image/3/context.json', type: 'ImageService3' });
  files.set('/not-json', { type: 'text/html', body: Buffer.from('<html>hello</html>') });
  json('/v2/many.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/v2/many.json`,
    '@type': 'sc:Manifest',
    sequences: [
      { canvases: [1, 2, 3, 4].map((n) => v2Canvas(`${base}/many/${n}`, `${base}/scans/${invoice.name}.png`, 10, 10)) },
    ],
  });
  files.set('/huge.png', {
    type: 'image/png',
    body: await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer(),
  });
  json('/v2/huge.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/v2/huge.json`,
    '@type': 'sc:Manifest',
    sequences: [{ canvases: [v2Canvas(`${base}/huge/1`, `${base}/huge.png`, 2000, 2000)] }],
  });
  json('/v2/missing-image.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/v2/missing-image.json`,
    '@type': 'sc:Manifest',
    sequences: [{ canvases: [v2Canvas(`${base}/gone/1`, `${base}/gone.png`, 100, 100)] }],
  });
  return { server, base, hits };
}

type Problem = { status: number; code: string; detail: string; errors?: { pointer: string }[] };

describe('IIIF manifest import', () => {
  let dir: string;
  let site: Site;
  let stack: RectoStack;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recto-iiif-import-'));
    const tls = await makeSelfSignedCertificate(dir);
    site = await startSourceSite(tls.cert, tls.key);
    stack = await startRectoStack('iiif-import', {
      API_KEYS: `${KEY}:acme`,
      NODE_EXTRA_CA_CERTS: tls.certPath,
      URL_FETCH_ALLOW_LOOPBACK: 'true',
      OCR_MAX_PAGES: '3',
      OCR_MAX_PIXELS: '3000000',
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    site?.server.closeAllConnections();
    await new Promise((r) => site?.server.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const importManifest = (url: string) =>
    stack.client.request<{ document: Record<string, unknown> } & Problem>('POST', '/v1/documents', {
      body: JSON.stringify({ iiif_manifest: url }),
      headers: { 'Content-Type': 'application/json' },
    });

  /** A Content Search hit's target: the canvas id and its xywh box as [x0, y0, x1, y1]. */
  function targetOf(target: string): { canvas: string; box: Box } {
    const [canvas, fragment] = target.split('#xywh=');
    const [x, y, w, h] = fragment.split(',').map(Number);
    return { canvas, box: [x, y, x + w, y + h] };
  }

  it('imports a Presentation 3 manifest with its ALTO; search annotations target the source canvases', async () => {
    const res = await importManifest(`${site.base}/v3/manifest.json`);
    expect(res.status).toBe(202);
    expect(res.body.document).toMatchObject({
      ocr_provider: 'import',
      mime_type: 'image/tiff',
      iiif_manifest: `${site.base}/v3/manifest.json`,
      alias: 'Letters and minutes',
    });
    // Through the image service, at max; the ALTO of each canvas.
    for (const page of [letter, minutes]) {
      expect(site.hits).toContain(`/iiif3/${page.name}/full/max/0/default.jpg`);
      expect(site.hits).toContain(`/alto/${page.name}.xml`);
    }
    const id = res.body.document.id as string;
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({ status: 'Processed', page_count: 2 });

    for (const [n, page] of [letter, minutes].entries()) {
      const p = await stack.client.get<{
        page: { width: number; height: number; source: string; iiif_canvas: string };
      }>(`/v1/documents/${id}/pages/${n + 1}`);
      expect(p.body.page).toMatchObject({
        width: page.width,
        height: page.height,
        source: 'import',
        iiif_canvas: `${site.base}/v3/canvas/${page.name}`,
      });
    }

    // A word of the second page, searched through Content Search 2.0 and 1.0.
    const word = uniqueWord(minutes);
    const expected: Box = word.bbox.map((v) => v * CANVAS_SCALE) as Box;
    const v2 = await stack.client.get<{ items: { target: string; body: { value: string } }[] }>(
      `/v1/documents/${id}/iiif/search/2?q=${encodeURIComponent(word.text)}`,
    );
    expect(v2.status).toBe(200);
    const hit = v2.body.items.find((i) => targetOf(i.target).canvas === `${site.base}/v3/canvas/${minutes.name}`)!;
    expect(hit).toBeDefined();
    expect(iou(targetOf(hit.target).box, expected)).toBeGreaterThan(0.8);
    const v1 = await stack.client.get<{ resources: { on: string }[] }>(
      `/v1/documents/${id}/iiif/search/1?q=${encodeURIComponent(word.text)}`,
    );
    expect(v1.body.resources.map((r) => targetOf(r.on).canvas)).toContain(`${site.base}/v3/canvas/${minutes.name}`);
    console.log(
      `IIIF import (v3 + ALTO): "${word.text}" → ${hit.target} (ground truth on the source canvas: ${expected.join(',')})`,
    );

    // Recto's own manifest of it: the source canvases in their space, painted from Recto's image service.
    const manifest = await stack.client.get<{
      items: {
        id: string;
        width: number;
        height: number;
        items: { items: { body: { width: number; service: { id: string }[] } }[] }[];
      }[];
    }>(`/v1/documents/${id}/iiif/manifest`);
    expect(manifest.body.items.map((c) => [c.id, c.width, c.height])).toEqual(
      [letter, minutes].map((p) => [
        `${site.base}/v3/canvas/${p.name}`,
        p.width * CANVAS_SCALE,
        p.height * CANVAS_SCALE,
      ]),
    );
    const body = manifest.body.items[0].items[0].items[0].body;
    expect(body.service[0].id).toMatch(new RegExp(`/v1/documents/${id}/iiif/image/1$`));
    expect(body.width).toBe(Math.min(letter.width, 1600));

    // The same manifest again is the same document.
    const again = await importManifest(`${site.base}/v3/manifest.json`);
    expect(again.status).toBe(200);
    expect(again.body.document.id).toBe(id);
  }, 600_000);

  it('imports a Presentation 2.1 manifest without OCR by reading its images with real OCR', async () => {
    const res = await importManifest(`${site.base}/v2/manifest.json`);
    expect(res.status).toBe(202);
    expect(res.body.document).toMatchObject({ ocr_provider: 'local', iiif_manifest: `${site.base}/v2/manifest.json` });
    const id = res.body.document.id as string;
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({ status: 'Processed', page_count: 1 });
    const word = uniqueWord(invoice);
    const search = await stack.client.get<{ items: { target: string }[] }>(
      `/v1/documents/${id}/iiif/search/2?q=${encodeURIComponent(word.text)}`,
    );
    expect(search.body.items.length).toBeGreaterThan(0);
    const targets = search.body.items.map((i) => targetOf(i.target));
    expect(new Set(targets.map((t) => t.canvas))).toEqual(new Set([`${site.base}/v2/canvas/1`]));
    // The canvas is the image's size here: the box is the word's in pixels.
    expect(Math.max(...targets.map((t) => iou(t.box, word.bbox)))).toBeGreaterThan(0.5);
    console.log(`IIIF import (v2, OCRed): "${word.text}" → ${search.body.items[0].target}`);
  }, 600_000);

  it.each([
    ['/missing.json', 'iiif_manifest_unreachable', /answered 404/],
    ['/not-json', 'iiif_not_a_manifest', /not JSON/],
    ['/not-a-manifest.json', 'iiif_not_a_manifest', /neither a Presentation 2 nor 3/],
    ['/v2/many.json', 'iiif_too_many_canvases', /4 canvases; at most 3/],
    ['/v2/huge.json', 'image_too_large', /2000×2000 pixels/],
    ['/v2/missing-image.json', 'iiif_resource_unreachable', /canvas 1 .*gone\.png.*404/],
  ])('%s is refused as %s, a problem naming the cause', async (path, code, detail) => {
    const res = await importManifest(`${site.base}${path}`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code, errors: [{ pointer: '/iiif_manifest' }] });
    expect(res.body.detail).toMatch(detail);
  });

  it('refuses a plain-http manifest and one on a private address, and a manifest sent with a file', async () => {
    const http = await importManifest(`http://127.0.0.1:1/manifest.json`);
    expect(http.body).toMatchObject({ status: 422, code: 'url_not_allowed' });
    const privateNet = await importManifest(`https://10.1.2.3/manifest.json`);
    expect(privateNet.body).toMatchObject({ status: 422, code: 'url_not_allowed' });
    const both = await stack.client.request<Problem>('POST', '/v1/documents', {
      body: JSON.stringify({ iiif_manifest: `${site.base}/v2/manifest.json`, url: `${site.base}/scans/x.png` }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(both.body).toMatchObject({
      status: 422,
      code: 'validation_failed',
      errors: [{ pointer: '/iiif_manifest' }],
    });
  });
});
