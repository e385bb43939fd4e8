/**
 * Importing IIIF manifests by URL against the built api and worker: a local HTTPS server (a
 * self-signed certificate the api and worker trust through NODE_EXTRA_CA_CERTS; loopback allowed
 * by URL_FETCH_ALLOW_LOOPBACK) publishes the vendored test pages as a Presentation 3 manifest with
 * an Image API 3 service and ALTO in seeAlso, as a Presentation 2.1 manifest with plain images and
 * no OCR, and as a mixed manifest (ALTO on one canvas, hOCR on another, none on the third). The
 * request only reads the manifest (202 while the source still holds the images back); the worker
 * fetches the images; linked OCR is imported, the other pages read by real OCR; Content Search
 * answers in the source manifests' canvases and their coordinate spaces. Two more carry their text
 * as annotations instead (word-level TextualBody annotations in a referenced AnnotationPage and
 * line-level ones inline; a v2 sc:AnnotationList of lines in otherContent): their words are
 * imported from the annotations, highlights are the annotations' boxes.
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

/** A test page's ground-truth words in rows (a word joins the row whose first word it is level with). */
function linesOf(page: DevScan): DevScan['words'][] {
  const lines: DevScan['words'][] = [];
  for (const w of page.words) {
    const last = lines[lines.length - 1]?.[0];
    const centre = (b: Box) => (b[1] + b[3]) / 2;
    if (last && Math.abs(centre(last.bbox) - centre(w.bbox)) < (last.bbox[3] - last.bbox[1]) / 2) {
      lines[lines.length - 1].push(w);
    } else lines.push([w]);
  }
  return lines;
}

/** The box around a row of words. */
const lineBox = (line: DevScan['words']): Box => [
  Math.min(...line.map((w) => w.bbox[0])),
  Math.min(...line.map((w) => w.bbox[1])),
  Math.max(...line.map((w) => w.bbox[2])),
  Math.max(...line.map((w) => w.bbox[3])),
];

/** A box as a media fragment, scaled into a canvas's space. */
const xywh = ([x0, y0, x1, y1]: Box, scale = 1) =>
  `xywh=${x0 * scale},${y0 * scale},${(x1 - x0) * scale},${(y1 - y0) * scale}`;

/** ALTO 4 in pixels from a test page's ground-truth word boxes, one TextLine per row of words. */
function altoOf(page: DevScan): string {
  const lines = linesOf(page);
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

/** hOCR from a test page's ground-truth word boxes (one line: the reader needs no more to place words). */
function hocrOf(page: DevScan): string {
  const words = page.words
    .map(
      ({ text, bbox: [x0, y0, x1, y1] }, i) =>
        `<span class="ocrx_word" id="w${i}" title="bbox ${x0} ${y0} ${x1} ${y1}; x_wconf 95">${xml(text)}</span>`,
    )
    .join(' ');
  return `<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${page.name}</title>
<meta name="ocr-capabilities" content="ocr_page ocr_line ocrx_word"/></head><body>
<div class="ocr_page" id="page_1" title="bbox 0 0 ${page.width} ${page.height}"><span class="ocr_line" id="l1" title="bbox 0 0 ${page.width} ${page.height}">${words}</span></div>
</body></html>`;
}

interface Site {
  server: Server;
  base: string;
  hits: string[];
  /** Lets the held-back images under `prefix` (/held/…, /held2/…) be answered. */
  release(prefix?: string): void;
}

async function startSourceSite(cert: Buffer, key: Buffer): Promise<Site> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const hits: string[] = [];
  const gates = new Map<string, { open: () => void; opened: Promise<void> }>();
  for (const prefix of ['/held/', '/held2/']) {
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    gates.set(prefix, { open, opened });
  }
  const release = (prefix = '/held/') => gates.get(prefix)?.open();
  const server = createServer({ key, cert }, (req, res) => {
    hits.push(req.url ?? '');
    const file = files.get(req.url ?? '');
    if (!file) return void res.writeHead(404).end();
    const answer = () =>
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
    // The held-back images are answered only once the test says so: an import that fetched them
    // inside its request could never answer it.
    const gate = [...gates.entries()].find(([prefix]) => req.url?.startsWith(prefix))?.[1];
    if (gate && !file.type.includes('json')) void gate.opened.then(answer);
    else answer();
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
      // Linked ALTO is preferred: these are never fetched.
      annotations: [{ id: `${base}/annotations/unused-${page.name}.json`, type: 'AnnotationPage' }],
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

  // Presentation 3 with the text as annotations: the letter's words one annotation each, in a
  // referenced AnnotationPage (SpecificResource targets with a FragmentSelector); the minutes' lines
  // one annotation each, inline (`canvas#xywh=` targets). No OCR linked.
  const canvasOf3 = (page: DevScan, annotations: unknown[]) => {
    const canvas = `${base}/v3a/canvas/${page.name}`;
    return {
      id: canvas,
      type: 'Canvas',
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
              body: { id: `${base}/iiif3/${page.name}/full/max/0/default.jpg`, type: 'Image', format: 'image/jpeg' },
              target: canvas,
            },
          ],
        },
      ],
      annotations,
    };
  };
  const letterCanvas = `${base}/v3a/canvas/${letter.name}`;
  json('/annotations/letter-words.json', {
    '@context': [
      'http://iiif.io/api/extension/text-granularity/context.json',
      'http://iiif.io/api/presentation/3/context.json',
    ],
    id: `${base}/annotations/letter-words.json`,
    type: 'AnnotationPage',
    items: letter.words.map((w, i) => ({
      id: `${base}/annotations/letter/w${i}`,
      type: 'Annotation',
      motivation: 'supplementing',
      textGranularity: 'word',
      body: { type: 'TextualBody', value: w.text, format: 'text/plain', language: 'en' },
      target: {
        type: 'SpecificResource',
        source: { id: letterCanvas, type: 'Canvas' },
        selector: { type: 'FragmentSelector', value: xywh(w.bbox, CANVAS_SCALE) },
      },
    })),
  });
  const minutesCanvas = `${base}/v3a/canvas/${minutes.name}`;
  json('/v3/annotated.json', {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id: `${base}/v3/annotated.json`,
    type: 'Manifest',
    label: { en: ['Letters and minutes, transcribed'] },
    items: [
      canvasOf3(letter, [{ id: `${base}/annotations/letter-words.json`, type: 'AnnotationPage' }]),
      canvasOf3(minutes, [
        {
          id: `${base}/annotations/minutes-lines.json`,
          type: 'AnnotationPage',
          items: linesOf(minutes).map((line, i) => ({
            id: `${base}/annotations/minutes/l${i}`,
            type: 'Annotation',
            motivation: 'supplementing',
            textGranularity: 'line',
            body: { type: 'TextualBody', value: line.map((w) => w.text).join(' '), format: 'text/plain' },
            target: `${minutesCanvas}#${xywh(lineBox(line), CANVAS_SCALE)}`,
          })),
        },
      ]),
    ],
  });

  // Presentation 2.1 with an sc:AnnotationList of the invoice's lines in otherContent (sc:painting,
  // cnt:ContentAsText, `on` strings), and a commentary list that is not there (skipped, not fatal).
  const invoiceCanvas = `${base}/v2a/canvas/1`;
  json('/lists/invoice-lines.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/lists/invoice-lines.json`,
    '@type': 'sc:AnnotationList',
    resources: linesOf(invoice).map((line, i) => ({
      '@id': `_:line${i}`,
      '@type': 'oa:Annotation',
      motivation: 'sc:painting',
      resource: { '@type': 'cnt:ContentAsText', format: 'text/plain', chars: line.map((w) => w.text).join(' ') },
      on: `${invoiceCanvas}#${xywh(lineBox(line))}`,
    })),
  });
  json('/v2/annotated.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/v2/annotated.json`,
    '@type': 'sc:Manifest',
    label: 'An invoice, transcribed',
    sequences: [
      {
        '@type': 'sc:Sequence',
        canvases: [
          {
            ...v2Canvas(invoiceCanvas, `${base}/scans/${invoice.name}.png`, invoice.width, invoice.height),
            otherContent: [
              { '@id': `${base}/lists/invoice-commentary.json`, '@type': 'sc:AnnotationList' },
              { '@id': `${base}/lists/invoice-lines.json`, '@type': 'sc:AnnotationList' },
            ],
          },
        ],
      },
    ],
  });

  // Mixed: ALTO on the first canvas, nothing on the second, hOCR on the third; the images held back.
  const mixed = [
    { page: letter, ocr: { path: `/held/alto/${letter.name}.xml`, body: altoOf(letter), profile: 'alto' } },
    { page: minutes, ocr: null },
    { page: invoice, ocr: { path: `/held/hocr/${invoice.name}.html`, body: hocrOf(invoice), profile: 'hocr' } },
  ];
  const mixedCanvases = [];
  for (const { page, ocr } of mixed) {
    files.set(`/held/${page.name}.png`, { type: 'image/png', body: await readFile(page.imagePath) });
    const canvas = `${base}/mixed/canvas/${page.name}`;
    if (ocr) files.set(ocr.path, { type: 'text/plain', body: Buffer.from(ocr.body) });
    mixedCanvases.push({
      ...v2Canvas(canvas, `${base}/held/${page.name}.png`, page.width, page.height),
      ...(ocr
        ? {
            seeAlso: {
              '@id': `${base}${ocr.path}`,
              format: ocr.profile === 'hocr' ? 'text/vnd.hocr+html' : 'application/xml',
              profile: ocr.profile === 'alto' ? 'http://www.loc.gov/standards/alto/v4/alto.xsd' : undefined,
            },
          }
        : {}),
    });
  }
  // Two canvases whose images are held back until the worker fetching them has been killed.
  for (const page of [letter, minutes]) {
    files.set(`/held2/${page.name}.png`, { type: 'image/png', body: await readFile(page.imagePath) });
    files.set(`/held2/${page.name}.xml`, { type: 'application/xml', body: Buffer.from(altoOf(page)) });
  }
  json('/held2/killed.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/held2/killed.json`,
    '@type': 'sc:Manifest',
    label: 'Imported across a worker kill',
    sequences: [
      {
        canvases: [letter, minutes].map((page) => ({
          ...v2Canvas(`${base}/killed/canvas/${page.name}`, `${base}/held2/${page.name}.png`, page.width, page.height),
          seeAlso: {
            '@id': `${base}/held2/${page.name}.xml`,
            profile: 'http://www.loc.gov/standards/alto/v4/alto.xsd',
          },
        })),
      },
    ],
  });
  json('/held/mixed.json', {
    '@context': 'http://iiif.io/api/presentation/2/context.json',
    '@id': `${base}/held/mixed.json`,
    '@type': 'sc:Manifest',
    label: 'Mixed OCR',
    sequences: [{ '@type': 'sc:Sequence', canvases: mixedCanvases }],
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
  return { server, base, hits, release };
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
      // A killed worker's job is taken up again within seconds, not the default half-minute.
      QUEUE_LOCK_DURATION_MS: '10000',
      QUEUE_STALLED_INTERVAL_MS: '3000',
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
    const id = res.body.document.id as string;
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({ status: 'Processed', page_count: 2 });
    // Through the image service, at max; the ALTO of each canvas.
    for (const page of [letter, minutes]) {
      expect(site.hits).toContain(`/iiif3/${page.name}/full/max/0/default.jpg`);
      expect(site.hits).toContain(`/alto/${page.name}.xml`);
      expect(site.hits).not.toContain(`/annotations/unused-${page.name}.json`);
    }

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

  type SearchHits = {
    hits: { document_id: string; page: number; highlights: { content: string; polygon: [number, number][] }[] }[];
  };
  const search = (q: string, id: string, extra = '') =>
    stack.client.get<SearchHits>(`/v1/search?q=${encodeURIComponent(q)}&document_id=${id}${extra}`);
  /** A relative polygon is the box (in the page's pixels) over the page's size, each edge within 1e-3. */
  function expectRelativeBox(polygon: [number, number][], [x0, y0, x1, y1]: Box, page: DevScan) {
    const xs = polygon.map((p) => p[0]);
    const ys = polygon.map((p) => p[1]);
    const actual = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const expected = [x0 / page.width, y0 / page.height, x1 / page.width, y1 / page.height];
    actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-3));
  }
  /** A row of at least four words, letters and digits with their punctuation (a phrase searched as it is written). */
  const plainLine = (page: DevScan) =>
    linesOf(page).find((l) => l.length >= 4 && l.every((w) => /^[A-Za-z0-9]+[.,:]?$/.test(w.text)))!;

  it("imports a Presentation 3 manifest whose text is annotations: highlights are the annotations' boxes", async () => {
    const res = await importManifest(`${site.base}/v3/annotated.json`);
    expect(res.status).toBe(202);
    expect(res.body.document).toMatchObject({
      ocr_provider: 'import',
      iiif_manifest: `${site.base}/v3/annotated.json`,
    });
    const id = res.body.document.id as string;
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({
      status: 'Processed',
      page_count: 2,
      ocr_provider: 'import',
    });
    // Fetched by the worker's import job, after the request.
    expect(site.hits).toContain('/annotations/letter-words.json');

    // Word-level annotations: the highlight is the word's annotation box over the canvas size.
    const word = uniqueWord(letter);
    const found = await search(word.text, id);
    const highlight = found.body.hits
      .find((h) => h.page === 1)!
      .highlights.find((h) => h.content.toLowerCase() === word.text.toLowerCase())!;
    expect(highlight).toBeDefined();
    expectRelativeBox(highlight.polygon, word.bbox, letter);
    // Content Search answers on the source canvas, in its space: the annotation's own fragment.
    const v2 = await stack.client.get<{ items: { target: string }[] }>(
      `/v1/documents/${id}/iiif/search/2?q=${encodeURIComponent(word.text)}`,
    );
    expect(v2.body.items.map((i) => i.target)).toContain(
      `${site.base}/v3a/canvas/${letter.name}#${xywh(word.bbox, CANVAS_SCALE)}`,
    );

    // Line-level annotations: cut into words; a whole line searched as a phrase is the line's box.
    const line = plainLine(minutes);
    const phrase = line.map((w) => w.text).join(' ');
    const merged = await search(`"${phrase}"`, id, '&merge=line');
    const region = merged.body.hits.find((h) => h.page === 2)!.highlights.find((h) => h.content === phrase)!;
    expect(region).toBeDefined();
    expectRelativeBox(region.polygon, lineBox(line), minutes);
    // One word of it: an estimate, within its line's box, overlapping the word's true box.
    const words = await search(line[1].text, id, '&typos=0&prefix=false');
    const [, top, , bottom] = lineBox(line);
    const boxes = words.body.hits
      .find((h) => h.page === 2)!
      .highlights.map(({ polygon }): Box => [
        Math.min(...polygon.map((p) => p[0] * minutes.width)),
        Math.min(...polygon.map((p) => p[1] * minutes.height)),
        Math.max(...polygon.map((p) => p[0] * minutes.width)),
        Math.max(...polygon.map((p) => p[1] * minutes.height)),
      ]);
    // The occurrence in this line (the word may be elsewhere on the page too).
    const box = boxes.find((b) => Math.abs(b[1] - top) < 1 && Math.abs(b[3] - bottom) < 1)!;
    expect(box).toBeDefined();
    expect(iou(box, line[1].bbox)).toBeGreaterThan(0.3);
    console.log(
      `IIIF import (v3 annotations): "${word.text}" → ${highlight.polygon.join(' ')}; line word "${line[1].text}" ` +
        `estimated ${box.map((v) => v.toFixed(1)).join(',')} vs ${line[1].bbox.join(',')} (IoU ${iou(box, line[1].bbox).toFixed(2)})`,
    );
  }, 600_000);

  it('imports a Presentation 2.1 manifest with an AnnotationList of lines, skipping a list it cannot fetch', async () => {
    const res = await importManifest(`${site.base}/v2/annotated.json`);
    expect(res.status).toBe(202);
    expect(res.body.document).toMatchObject({ ocr_provider: 'import' });
    const id = res.body.document.id as string;
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({
      status: 'Processed',
      page_count: 1,
      ocr_provider: 'import',
    });
    expect(site.hits).toEqual(expect.arrayContaining(['/lists/invoice-commentary.json', '/lists/invoice-lines.json']));
    const line = plainLine(invoice);
    const phrase = line.map((w) => w.text).join(' ');
    const merged = await search(`"${phrase}"`, id, '&merge=line');
    const region = merged.body.hits[0].highlights.find((h) => h.content === phrase)!;
    expect(region).toBeDefined();
    expectRelativeBox(region.polygon, lineBox(line), invoice);
    const v1 = await stack.client.get<{ resources: { on: string }[] }>(
      `/v1/documents/${id}/iiif/search/1?q=${encodeURIComponent(line[0].text)}`,
    );
    expect(v1.body.resources.length).toBeGreaterThan(0);
    expect(new Set(v1.body.resources.map((r) => targetOf(r.on).canvas))).toEqual(
      new Set([`${site.base}/v2a/canvas/1`]),
    );
  }, 600_000);
  it('answers 202 before fetching an image; linked ALTO and hOCR are imported, only the page without is OCRed', async () => {
    const started = Date.now();
    const res = await importManifest(`${site.base}/held/mixed.json`);
    const answeredMs = Date.now() - started;
    // The source has not answered a single image yet: the request cannot have waited for one.
    expect(res.status).toBe(202);
    expect(res.body.document).toMatchObject({ status: 'Processing', ocr_provider: 'local', mime_type: 'image/tiff' });
    const id = res.body.document.id as string;
    const file = await stack.client.request<Problem>('GET', `/v1/documents/${id}/file`);
    expect(file.status).toBe(409);
    site.release();
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({ status: 'Processed', page_count: 3 });
    console.log(
      `IIIF import (mixed): 202 in ${answeredMs} ms with every image held back; processed ${Date.now() - started} ms after the request`,
    );

    const canvases = [letter, minutes, invoice].map((p) => `${site.base}/mixed/canvas/${p.name}`);
    const sources = [];
    for (const n of [1, 2, 3]) {
      const p = await stack.client.get<{ page: { source: string; iiif_canvas: string } }>(
        `/v1/documents/${id}/pages/${n}`,
      );
      expect(p.body.page.iiif_canvas).toBe(canvases[n - 1]);
      sources.push(p.body.page.source);
    }
    expect(sources).toEqual(['import', 'ocr', 'import']);

    // A word of each page, found through Content Search on its own source canvas: the ALTO's and
    // the hOCR's exactly where the files put them, the OCRed one where the engine read it.
    for (const [n, page] of [letter, minutes, invoice].entries()) {
      const word = uniqueWord(page);
      const search = await stack.client.get<{ items: { target: string }[] }>(
        `/v1/documents/${id}/iiif/search/2?q=${encodeURIComponent(word.text)}`,
      );
      const targets = search.body.items.map((i) => targetOf(i.target)).filter((t) => t.canvas === canvases[n]);
      expect(targets.length).toBeGreaterThan(0);
      expect(Math.max(...targets.map((t) => iou(t.box, word.bbox)))).toBeGreaterThan(n === 1 ? 0.5 : 0.8);
    }
  }, 600_000);

  it('takes up an import whose worker was killed mid-fetch: the same document as without the kill', async () => {
    const res = await importManifest(`${site.base}/held2/killed.json`);
    expect(res.status).toBe(202);
    const id = res.body.document.id as string;
    const imageHits = () => site.hits.filter((h) => /^\/held2\/.*\.png$/.test(h)).length;
    // The worker is fetching (its requests are held): kill it there, then start another.
    for (const deadline = Date.now() + 60_000; imageHits() === 0;) {
      if (Date.now() > deadline) throw new Error('the worker never asked for an image');
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = imageHits();
    await stack.stopWorker('SIGKILL');
    expect((await stack.client.get<{ document: { status: string } }>(`/v1/documents/${id}`)).body.document.status).toBe(
      'Processing',
    );
    stack.startWorker();
    site.release('/held2/');
    await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({
      status: 'Processed',
      page_count: 2,
      ocr_provider: 'import',
      error: null,
    });
    // Fetched again by the job's next run (BullMQ's stalled-job recovery), and attached once.
    expect(imageHits()).toBeGreaterThan(before);
    for (const [n, page] of [letter, minutes].entries()) {
      const p = await stack.client.get<{ page: { source: string; iiif_canvas: string; width: number } }>(
        `/v1/documents/${id}/pages/${n + 1}`,
      );
      expect(p.body.page).toMatchObject({
        source: 'import',
        iiif_canvas: `${site.base}/killed/canvas/${page.name}`,
        width: page.width,
      });
    }
    const file = await stack.client.request('GET', `/v1/documents/${id}/file`);
    expect(file.status).toBe(200);
    console.log(`IIIF import across a worker kill: ${before} image request(s) before the kill, ${imageHits()} in all`);
  }, 300_000);

  it.each([
    ['/v2/huge.json', 'image_too_large', /canvas 1 .*2000×2000 pixels/],
    ['/v2/missing-image.json', 'iiif_resource_unreachable', /canvas 1 \(.*\/gone\/1\).*gone\.png.*404/],
  ])(
    '%s is accepted, then its document fails as %s with a reason naming the canvas',
    async (path, code, detail) => {
      const res = await importManifest(`${site.base}${path}`);
      expect(res.status).toBe(202);
      const document = await stack.client.waitProcessed(res.body.document.id as string);
      expect(document).toMatchObject({ status: 'Failed', error: { code } });
      expect((document.error as Problem).detail).toMatch(detail);
    },
    120_000,
  );

  it.each([
    ['/missing.json', 'iiif_manifest_unreachable', /answered 404/],
    ['/not-json', 'iiif_not_a_manifest', /not JSON/],
    ['/not-a-manifest.json', 'iiif_not_a_manifest', /neither a Presentation 2 nor 3/],
    ['/v2/many.json', 'iiif_too_many_canvases', /4 canvases; at most 3/],
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
