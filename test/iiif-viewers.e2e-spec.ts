/**
 * Real IIIF viewers in a real browser (Debian's Chromium, playwright-core) against the built api
 * and worker: Mirador 4, Universal Viewer 4 and OpenSeadragon, served from a page on another
 * origin (their npm dist bundles, offline), open a signed link's manifest of a two-page PDF read
 * by real OCR, search it, and the highlight must land on the word (Mirador: on both pages, its
 * drawn box taken to page pixels through its OpenSeadragon viewer and compared with the word's
 * polygon from the API); OpenSeadragon deep-zooms a 600-dpi page through info.json and tiles.
 */
import { iou, polygonToBox, RectoStack, startRectoStack, testPage, type Box } from '@recto/testing';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'iiif-viewers-key-0123456789';
const SIGNING_KEYS = `k1:${'v'.repeat(40)}`;
const DOCS = resolve(__dirname, '..', 'docs');
const MODULES = resolve(__dirname, '..', 'node_modules');
const WORD = 'Montgomery';
// Mirador's search: a word once on each page, so it lists a hit on each.
const MIRADOR_WORD = 'thank';

// The vendored test pages (test/fixtures/scans): an invoice that names the searched word and a
// letter make the two-page PDF; a 600-dpi book page is the deep-zoom subject.
const first = testPage('synthetic_invoice');
const second = testPage('synthetic_letter');
const deep = testPage('ocrd_gtst_bebel_frau_1879_0146');

// CI installs Chromium (.ci/run). Without it, say why and skip.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`IIIF viewers e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
const describeBrowser = haveChromium ? describe : describe.skip;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The viewers' dist bundles and three tiny host pages, on an origin of their own. */
function startViewerSite(): Promise<{ server: Server; url: string }> {
  const roots: Record<string, string> = {
    '/mirador/': join(MODULES, 'mirador', 'dist'),
    '/uv/': join(MODULES, 'universalviewer', 'dist'),
    '/osd/': join(MODULES, 'openseadragon', 'build', 'openseadragon'),
  };
  const pages: Record<string, string> = {
    '/mirador.html': `<!doctype html><html><head><meta charset="utf-8"><style>
      html,body,#m{margin:0;height:100%} .openseadragon-container{background:#000 !important}</style>
      <script src="/mirador/mirador.min.js"></script></head><body><div id="m"></div><script>
      const q = new URLSearchParams(location.search);
      // Half-transparent magenta: the test finds the box by its colour, and the word shows through.
      const strong = { fillStyle: '#ff00ff', globalAlpha: 0.5 };
      window.miradorInstance = Mirador.viewer({
        id: 'm',
        // No defaultSearchQuery: Mirador 4.0.0 sends that search twice and, rendering the hits of
        // one while the other is in flight, finds no annotation for a hit and crashes the window
        // ("reading 'targetId'"). The test types the query into the search panel instead.
        windows: [{ manifestId: q.get('manifest'), sideBarOpen: true }],
        window: { allowClose: false, allowMaximize: false },
        workspaceControlPanel: { enabled: false },
        // A first tile renders from the page's pyramid on a cold cache; on a loaded machine that
        // can outlast OpenSeadragon's 30 s image timeout, and a failed tile is not asked for again.
        osdConfig: { timeout: 240000, tileRetryMax: 5, tileRetryDelay: 2000 },
        theme: { palette: { search: { default: strong, hovered: strong, selected: strong } } },
      });
      </script></body></html>`,
    '/uv.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/uv/uv.css">
      <style>html,body{margin:0;height:100%} #uv{width:1280px;height:900px}</style>
      <script src="/uv/umd/UV.js"></script></head><body><div id="uv" class="uv"></div><script>
      window.uv = UV.init('uv', { manifest: new URLSearchParams(location.search).get('manifest'), embedded: true });
      </script></body></html>`,
    '/osd.html': `<!doctype html><html><head><meta charset="utf-8"><style>
      html,body,#osd{margin:0;height:100%;background:#000}</style>
      <script src="/osd/openseadragon.min.js"></script></head><body><div id="osd"></div><script>
      window.viewer = OpenSeadragon({ id: 'osd', prefixUrl: '/osd/images/', showNavigationControl: false,
        tileSources: new URLSearchParams(location.search).get('info'), immediateRender: false,
        animationTime: 0, springStiffness: 100 });
      window.viewer.addHandler('open', () => { window.opened = true; });
      </script></body></html>`,
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pages[path]) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(pages[path]);
      return;
    }
    const prefix = Object.keys(roots).find((p) => path.startsWith(p));
    const file = prefix && resolve(roots[prefix], '.' + path.slice(prefix.length - 1));
    if (!prefix || !file || !file.startsWith(roots[prefix])) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (data) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      ok({ server, url: `http://localhost:${typeof address === 'object' && address ? address.port : 0}` });
    }),
  );
}

/** Bounding box of pixels passing `test` in a PNG screenshot (within a box of it), in its pixels; null if none. */
async function boxOf(
  png: Buffer,
  test: (r: number, g: number, b: number) => boolean,
  within: Box = [0, 0, Infinity, Infinity],
): Promise<Box | null> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = Math.max(0, within[1]); y < Math.min(info.height, within[3]); y++) {
    for (let x = Math.max(0, within[0]); x < Math.min(info.width, within[2]); x++) {
      const i = (y * info.width + x) * 3;
      if (!test(data[i], data[i + 1], data[i + 2])) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 < 0 ? null : [x0, y0, x1, y1];
}

// The page is paper on the viewers' black background (set so); Mirador's grey control bar is not.
const isPaper = (r: number, g: number, b: number) => r + g + b > 3 * 190;
// Mirador's half-transparent magenta over paper (255,128,255), ink (128,0,128) or the black
// background: red and blue alike, both well above green. Grey paper, ink and Mirador's chrome are not.
const isHighlight = (r: number, g: number, b: number) => r - g > 80 && b - g > 80 && Math.abs(r - b) < 60;

/** What the test reads of Mirador's one window: its OpenSeadragon viewer and the page drawn in it. */
interface MiradorView {
  /** The Image API service of the page drawn (one page: Mirador's single view). */
  service: string;
  /** Every tile the current view needs is drawn, and the view is not moving. */
  still: boolean;
  /** The viewer's element, and the page image's corners, in the browser window's CSS pixels. */
  element: Box;
  image: Box;
}

/**
 * Runs in the browser: the OpenSeadragon viewer of Mirador's window (Mirador.OSDReferences) and
 * where its one page image is. With `fit` (a box relative to the image), first shows that part.
 */
async function readMiradorView(fit: Box | null): Promise<MiradorView | null> {
  type Point = { x: number; y: number };
  type Rect = Point & { width: number; height: number };
  type Item = {
    source: { '@id'?: string; id?: string; dimensions: Point };
    getFullyLoaded(): boolean;
    imageToViewportCoordinates(x: number, y: number): Point;
    imageToViewportRectangle(x: number, y: number, w: number, h: number): Rect;
  };
  type Viewer = {
    element: HTMLElement;
    world: { getItemCount(): number; getItemAt(i: number): Item };
    viewport: {
      pixelFromPoint(p: Point, current: boolean): Point;
      getBounds(current: boolean): Rect;
      fitBounds(r: Rect, immediately: boolean): void;
    };
  };
  const w = window as unknown as {
    miradorInstance: { store: { getState(): { windows: Record<string, unknown> } } };
    Mirador: { OSDReferences: { get(id: string): { current?: Viewer | null } | undefined } };
  };
  const windowId = Object.keys(w.miradorInstance.store.getState().windows)[0];
  const osd = windowId ? w.Mirador.OSDReferences.get(windowId)?.current : null;
  if (!osd || osd.world.getItemCount() !== 1) return null;
  const item = osd.world.getItemAt(0);
  const { x: width, y: height } = item.source.dimensions;
  if (fit) {
    const [x0, y0, x1, y1] = fit;
    osd.viewport.fitBounds(
      item.imageToViewportRectangle(x0 * width, y0 * height, (x1 - x0) * width, (y1 - y0) * height),
      true,
    );
    // Two frames: OpenSeadragon has updated once, asked for the tiles the view needs, and Mirador
    // has redrawn its overlay for it.
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  const [now, target] = [osd.viewport.getBounds(true), osd.viewport.getBounds(false)];
  const moving = (['x', 'y', 'width', 'height'] as const).some(
    (k) => Math.abs(now[k] - target[k]) > 1e-6 * target.width,
  );
  const e = osd.element.getBoundingClientRect();
  const a = osd.viewport.pixelFromPoint(item.imageToViewportCoordinates(0, 0), true);
  const b = osd.viewport.pixelFromPoint(item.imageToViewportCoordinates(width, height), true);
  return {
    service: item.source['@id'] ?? item.source.id ?? '',
    still: !fit && !moving && item.getFullyLoaded(),
    element: [e.left, e.top, e.right, e.bottom],
    image: [e.left + a.x, e.top + a.y, e.left + b.x, e.top + b.y],
  };
}

describeBrowser('IIIF viewers in Chromium', () => {
  let stack: RectoStack;
  let site: { server: Server; url: string };
  let browser: BrowserContext;
  let profile: string;
  let documentId: string;
  let deepId: string;
  let manifestUrl: string;

  beforeAll(async () => {
    // The files first: made after the stack is up, a slow machine leaves the client's kept-alive
    // connection idle past the server's keep-alive timeout, and the upload dies on it (EPIPE).
    const pdf = await PDFDocument.create();
    for (const scan of [first, second]) {
      const image = await pdf.embedPng(await readFile(scan.imagePath));
      pdf.addPage([scan.width, scan.height]).drawImage(image, { x: 0, y: 0, width: scan.width, height: scan.height });
    }
    const pdfBytes = Buffer.from(await pdf.save());
    stack = await startRectoStack('iiif-viewers', { API_KEYS: `${KEY}:acme`, IIIF_SIGNING_KEYS: SIGNING_KEYS });
    const doc = await stack.client.upload(pdfBytes, 'two-forms.pdf');
    const big = await stack.client.uploadFile(deep.imagePath);
    documentId = (doc.body.document as { id: string }).id;
    deepId = (big.body.document as { id: string }).id;
    for (const id of [documentId, deepId]) {
      await expect(stack.client.waitProcessed(id)).resolves.toMatchObject({ status: 'Processed' });
    }
    const link = await stack.client.request<{ manifest: string }>('POST', `/v1/documents/${documentId}/iiif/links`, {
      body: JSON.stringify({ expires_in: 3600 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(link.status).toBe(201);
    manifestUrl = link.body.manifest;

    site = await startViewerSite();
    profile = await mkdtemp(join(tmpdir(), 'recto-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await mkdir(DOCS, { recursive: true });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    site?.server.close();
    await stack?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.warn(`browser error: ${error.message}`));
    return page;
  }

  it('Mirador 4 lists the hits of a Content Search 1.0 on both pages and boxes the word on each', async () => {
    // A word on both pages, once on each (so each page's box is that word's alone).
    const rest = await stack.client.get<{
      hits: { page: number; page_width: number; page_height: number; highlights: { polygon: [number, number][] }[] }[];
    }>(`/v1/documents/${documentId}/search?q=${MIRADOR_WORD}`);
    const words = rest.body.hits
      .flatMap((h) =>
        h.highlights.map((l) => ({
          page: h.page,
          box: polygonToBox(l.polygon, h.page_width, h.page_height),
          size: [h.page_width, h.page_height],
        })),
      )
      .sort((x, y) => x.page - y.page);
    expect(words.map((w) => w.page)).toEqual([1, 2]);

    const page = await newPage();
    const searches: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/search/1')) searches.push(r.url());
    });
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${site.url}/mirador.html?manifest=${encodeURIComponent(manifestUrl)}`);
    // Mirador shows an error dialog for a failed request (it then blocks the sidebar): say what it was.
    const dialog = page.locator('#error-dialog');
    const failure = join(tmpdir(), 'recto-iiif-mirador-failure.png');
    const explain = async (err: unknown) => {
      await page.screenshot({ path: failure }).catch(() => undefined);
      return new Error(
        `${(err as Error).message}\n${(await dialog.isVisible()) ? `Mirador error dialog: ${await dialog.innerText()}; ` : ''}` +
          `failed responses: ${failed.join(', ') || 'none'}; the page as it was: ${failure}`,
      );
    };

    /**
     * Where Mirador's box is on page `n`, in that page's pixels: waits (no fixed sleep) until page
     * n is the one drawn, all its tiles are in and the view is still, then finds the magenta box
     * in a screenshot of the viewer and maps it through OpenSeadragon's image-to-screen transform.
     */
    const drawnBox = async (n: number, size: number[], timeout: number, highlight = true) => {
      const deadline = Date.now() + timeout;
      let last = 'no viewer';
      let previous: string | null = null;
      while (Date.now() < deadline) {
        const view = await page.evaluate(readMiradorView, null);
        const [x0, y0, x1, y1] = view?.element ?? [0, 0, 0, 0];
        if (view?.still && view.service.endsWith(`/image/${n}`) && x1 > x0) {
          if (!highlight) return null;
          const shot = await page.screenshot({ clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
          const found = await boxOf(shot, isHighlight);
          // The same box and view twice running: a frame drawn whole, not one caught mid-update.
          const reading = found && JSON.stringify([found, view.image]);
          if (found && reading === previous) {
            const [ix0, iy0, ix1, iy1] = view.image;
            const toPage = (v: number, k: number) =>
              k % 2 === 0 ? ((v + x0 - ix0) / (ix1 - ix0)) * size[0] : ((v + y0 - iy0) / (iy1 - iy0)) * size[1];
            return { box: found.map(toPage) as Box, screen: found, view };
          }
          previous = reading;
          last = found ? `page ${n} drawn, its highlight still moving` : `page ${n} drawn, no highlight on it`;
        } else {
          previous = null;
          last = view ? `showing ${view.service}, still: ${view.still}` : 'no viewer yet';
        }
        // Polling Mirador's state, not waiting for a fixed time: the next frame or tile may be it.
        await page.waitForTimeout(250);
      }
      throw await explain(
        new Error(`Mirador: page ${n} not drawn with a highlight within ${timeout / 1000} s (${last})`),
      );
    };
    const boxOn = async (n: number, size: number[], timeout: number) => (await drawnBox(n, size, timeout))!;
    /** Shows a part of page n (a box relative to it), and finds the box drawn there once it is drawn. */
    const show = async (part: Box, size: number[], n: number) => {
      await page.evaluate(readMiradorView, part);
      return boxOn(n, size, 180_000);
    };
    /** Around a box in page pixels: some words either side, some lines above and below. */
    const around = (box: Box, size: number[]): Box => {
      const [w, h] = [(box[2] - box[0]) / size[0], (box[3] - box[1]) / size[1]];
      const [cx, cy] = [(box[0] + box[2]) / 2 / size[0], (box[1] + box[3]) / 2 / size[1]];
      return [cx - 4 * w, cy - 6 * h, cx + 4 * w, cy + 6 * h];
    };
    const started = Date.now();
    const stages: string[] = [];
    const stage = (name: string) => stages.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The first page drawn, whole (a cold tile cache on a loaded machine takes a while).
    await drawnBox(1, words[0].size, 300_000, false);
    stage('page 1 drawn');
    // The search panel of the sidebar, the query typed as a reader would.
    await page
      .getByRole('tab', { name: 'Search' })
      .first()
      .click({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        throw await explain(err);
      });
    const input = page.getByRole('combobox').first();
    await input.fill(MIRADOR_WORD);
    await input.press('Enter');
    // The pointer off the canvas and the panel: no tooltip, no hover highlight.
    await page.mouse.move(1, 1);
    // Mirador selects the first hit and says so: "1 of 2"; it lists one hit a page.
    const panel = page.getByRole('complementary', { name: 'Search' });
    await panel
      .getByText(`1 of ${words.length}`, { exact: true })
      .waitFor({ timeout: 120_000 })
      .catch(async (err: unknown) => {
        throw await explain(err);
      });
    expect(searches.some((u) => u.includes(`q=${MIRADOR_WORD}`))).toBe(true);
    stage('hits listed');
    // Each listed hit shows its match in bold (the selected one is a list item, the others buttons).
    const listed = panel.locator('strong').filter({ hasText: new RegExp(`^${MIRADOR_WORD}$`, 'i') });
    await expect(listed.count()).resolves.toBe(words.length);

    const measured: string[] = [];
    const pairs: [Box, Box][] = [];
    for (const [i, word] of words.entries()) {
      if (i > 0) {
        await panel.getByRole('button', { name: 'Next result' }).first().click({ timeout: 60_000 });
        await page.mouse.move(1, 1);
        await panel.getByText(`${i + 1} of ${words.length}`, { exact: true }).waitFor({ timeout: 60_000 });
      }
      // Found on the page as Mirador shows it, then again zoomed in on it for a finer reading.
      // Mirador keeps the view when it turns the page: show the whole page first.
      await drawnBox(word.page, word.size, 300_000, false);
      const rough = await show([0, 0, 1, 1], word.size, word.page);
      const fine = await show(around(rough.box, word.size), word.size, word.page);
      if (i === 0) await page.screenshot({ path: join(DOCS, 'iiif-mirador.png') });
      stage(`p. ${word.page} measured`);
      const [b, g] = [fine.box, word.box];
      pairs.push([b, g]);
      measured.push(
        `p. ${word.page}: box ${b.map(Math.round).join(',')} (${fine.screen.join(',')} on screen), ` +
          `word ${g.map(Math.round).join(',')}, IoU ${iou(b, g).toFixed(3)}`,
      );
    }
    console.log(
      `Mirador, "${MIRADOR_WORD}", ${words.length} hits listed:\n  ${measured.join('\n  ')}\n  (${stages.join(', ')})`,
    );
    // On each page the box covers the word: they overlap by half at least, its centre is in the word.
    for (const [b, g] of pairs) {
      const centre = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
      expect(iou(b, g)).toBeGreaterThanOrEqual(0.5);
      expect(centre[0]).toBeGreaterThan(g[0]);
      expect(centre[0]).toBeLessThan(g[2]);
      expect(centre[1]).toBeGreaterThan(g[1]);
      expect(centre[1]).toBeLessThan(g[3]);
    }
    await page.close();
  }, 900_000);

  it('Universal Viewer 4 shows the page from the image service and boxes the searched word (Content Search 1.0)', async () => {
    const page = await newPage();
    const recto: string[] = [];
    const origin = new URL(manifestUrl).origin;
    page.on('requestfinished', (r) => {
      if (r.url().startsWith(origin)) recto.push(r.url());
    });
    await page.goto(`${site.url}/uv.html?manifest=${encodeURIComponent(manifestUrl)}`);
    // The page is drawn from Recto's Image API: info.json, then tiles or sizes of page 1.
    const fromImageService = (u: string) => /\/image\/1\/[^/]+\/[^/]+\/0\/default\.jpg$/.test(u);
    await page.waitForFunction(() => document.querySelector('.openseadragon-canvas canvas') !== null, null, {
      timeout: 60_000,
    });
    for (let i = 0; i < 120 && !recto.some(fromImageService); i++) await page.waitForTimeout(500);
    expect(recto.some((u) => /\/image\/1\/info\.json$/.test(u))).toBe(true);
    expect(recto.some(fromImageService)).toBe(true);
    const viewer = page.locator('.openseadragon-canvas').first();
    let paper: Box | null = null;
    for (let i = 0; i < 60 && !paper; i++) {
      paper = await boxOf(await viewer.screenshot(), isPaper);
      if (!paper) await page.waitForTimeout(500);
    }
    expect(paper).not.toBeNull();

    // Search within: UV's footer box, answered by Recto's Content Search 1.0; UV zooms to the hit.
    const box = page.locator('input.searchText:visible').first();
    await box.fill(WORD.toLowerCase());
    await box.press('Enter');
    const highlight = page.locator('.annotationRect').first();
    await highlight.waitFor({ state: 'visible', timeout: 60_000 });
    expect(recto.some((u) => u.includes(`/search/1?q=${WORD.toLowerCase()}`))).toBe(true);
    // Once the zoom has settled, the box must frame the word's ink (dark pixels around it).
    let rect: Box = [0, 0, 0, 0];
    for (let i = 0; i < 60; i++) {
      const r = await highlight.evaluate((e) => {
        const b = e.getBoundingClientRect();
        return [b.left, b.top, b.right, b.bottom] as [number, number, number, number];
      });
      const settled = r.every((v, k) => Math.abs(v - rect[k]) < 0.5);
      rect = r;
      if (settled && r[2] - r[0] > 20) break;
      await page.waitForTimeout(500);
    }
    await page.waitForLoadState('networkidle');
    const shot = await page.screenshot();
    await page.screenshot({ path: join(DOCS, 'iiif-universal-viewer.png') });
    const [w, h] = [rect[2] - rect[0], rect[3] - rect[1]];
    // Half a line above and below (the lines next to it stay out), a little either side.
    const around: Box = [rect[0] - w / 4, rect[1] - h / 2, rect[2] + w / 4, rect[3] + h / 2].map(Math.round) as Box;
    const ink = await boxOf(shot, (r, g, b) => r < 90 && g < 170 && b < 190, around);
    expect(ink).not.toBeNull();
    console.log(`Universal Viewer: highlight ${rect.map(Math.round).join(',')}, the word's ink ${ink!.join(',')}`);
    expect(iou(rect, ink!)).toBeGreaterThan(0.5);
    await page.close();
  }, 180_000);

  it('OpenSeadragon deep-zooms a 600-dpi page from info.json tiles, never the whole page', async () => {
    const link = await stack.client.request<{ manifest: string }>('POST', `/v1/documents/${deepId}/iiif/links`, {
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    const info = link.body.manifest.replace(/manifest$/, 'image/1/info.json');
    const page = await newPage();
    const tiles: string[] = [];
    page.on('requestfinished', (r) => {
      if (/\/image\/1\/\d+,\d+,\d+,\d+\//.test(r.url()) || /\/image\/1\/full\//.test(r.url())) tiles.push(r.url());
    });
    await page.goto(`${site.url}/osd.html?info=${encodeURIComponent(info)}`);
    await page.waitForFunction(() => (window as unknown as { opened?: boolean }).opened === true, null, {
      timeout: 60_000,
    });
    await page.waitForLoadState('networkidle');
    const overview = tiles.length;
    // Zoom to full resolution (1 image pixel = 1 screen pixel) on a spot of text.
    await page.evaluate(() => {
      // The few OpenSeadragon viewport calls used here (the test page makes `viewer` global).
      type Viewport = {
        imageToViewportCoordinates(x: number, y: number): unknown;
        imageToViewportZoom(zoom: number): number;
        zoomTo(zoom: number, point: unknown, immediately: boolean): void;
        panTo(point: unknown, immediately: boolean): void;
      };
      const osd = (window as unknown as { viewer: { viewport: Viewport } }).viewer;
      const point = osd.viewport.imageToViewportCoordinates(1500, 2300);
      osd.viewport.zoomTo(osd.viewport.imageToViewportZoom(1), point, true);
      osd.viewport.panTo(point, true);
    });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(DOCS, 'iiif-openseadragon-zoom.png') });
    const fullResolution = tiles.filter((u) => /\/512,512\/0\//.test(u) || /\/\d+,\d+\/0\/default/.test(u));
    console.log(
      `OpenSeadragon on a ${deep.width}x${deep.height} page: ${overview} tile requests for the overview, ` +
        `${tiles.length - overview} more at full resolution (${tiles.length} in all); ` +
        `${Math.ceil(deep.width / 512) * Math.ceil(deep.height / 512)} tiles make the full-resolution level`,
    );
    expect(tiles.some((u) => /\/full\/max\//.test(u))).toBe(false);
    expect(tiles.length - overview).toBeGreaterThan(0);
    expect(tiles.length).toBeLessThan(Math.ceil(deep.width / 512) * Math.ceil(deep.height / 512));
    expect(fullResolution.length).toBeGreaterThan(0);
    // The zoomed view shows ink: the tiles arrived and were drawn.
    const shot = await page.screenshot();
    const stats = await sharp(shot).stats();
    expect(stats.channels[0].stdev).toBeGreaterThan(20);
    await page.close();
  }, 180_000);
});
