/**
 * The web viewer in a real browser (Debian's Chromium driven by playwright-core) against the built
 * api and worker: a page is dropped onto the viewer, processed by real OCR, searched, and the
 * matched word's box must be drawn over that word's ground-truth box on the displayed image.
 * Also the page-image endpoint it relies on: widths, caching headers, tenants, deletion.
 */
import { iou, polygonToBox, RectoStack, startRectoStack, testPage, type Box } from '@recto/testing';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'viewer-key-0123456789';
const OTHER_KEY = 'other-key-0123456789';
const SCREENSHOT = resolve(__dirname, '..', 'docs', 'viewer-screenshot.png');

const scan = testPage('synthetic_invoice');
const target = scan.words.find((w) => w.text === 'Montgomery')!;

// CI installs Chromium (.ci/run); without it there is no browser to drive, so say why and skip.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`viewer e2e skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`);
}
const describeBrowser = haveChromium ? describe : describe.skip;

describeBrowser('web viewer in Chromium', () => {
  let stack: RectoStack;
  let browser: BrowserContext;
  let profile: string;
  let page: Page;
  let documentId: string;

  beforeAll(async () => {
    stack = await startRectoStack('viewer', { API_KEYS: `${KEY}:acme,${OTHER_KEY}:globex` });
    profile = await mkdtemp(join(tmpdir(), 'recto-chromium-'));
    // A fresh, empty profile directory per run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      headless: true,
      // The flags known to work on these machines: no sandbox as root, no network beyond localhost.
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
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  /** Each drawn box of `word` as page pixels, measured on screen against the displayed image. */
  async function drawnBoxes(word: string): Promise<Box[]> {
    const rects = await page.evaluate((w) => {
      const img = document.querySelector('[data-testid=page-image]') as HTMLImageElement;
      const i = img.getBoundingClientRect();
      return Array.from(document.querySelectorAll('[data-testid=highlight]'))
        .filter((el) => el.getAttribute('data-word')?.toLowerCase() === w.toLowerCase())
        .map((el) => {
          const r = el.getBoundingClientRect();
          return [(r.left - i.left) / i.width, (r.top - i.top) / i.height, r.width / i.width, r.height / i.height];
        });
    }, word);
    return rects.map(([x, y, w, h]) => [x * scan.width, y * scan.height, (x + w) * scan.width, (y + h) * scan.height]);
  }

  const bestIou = (boxes: Box[]) => Math.max(0, ...boxes.map((b) => iou(b, target.bbox)));

  it('takes the API key, a dropped file, and shows it Processed', async () => {
    await page.goto(stack.client.baseUrl + '/');
    await expect(page.title()).resolves.toBe('Recto');
    await page.getByText('The server wants an API key').waitFor();
    await page.fill('#api-key', KEY);
    await page.press('#api-key', 'Enter');

    // A real drop: a DataTransfer with the file, dispatched on the drop zone.
    const bytes = (await readFile(scan.imagePath)).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ({ b64, name }) => {
        const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([raw], name, { type: 'image/png' }));
        return dt;
      },
      { b64: bytes, name: `${scan.name}.png` },
    );
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer });
    await page.locator('.upload-item.done').waitFor({ timeout: 30_000 });

    const item = page.locator('[data-testid=document-list] button', { hasText: `${scan.name}.png` });
    await item.locator('[data-testid=status]', { hasText: 'Processed' }).waitFor({ timeout: 300_000 });
    documentId = (await item.getAttribute('data-document-id'))!;
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('finds a word and boxes it on the page image, at any window size', async () => {
    await page.fill('#q', target.text.toLowerCase());
    await page.press('#q', 'Enter');
    const hit = page.locator('[data-testid=hit-list] button').first();
    await hit.waitFor();
    await expect(hit.textContent()).resolves.toContain(`${scan.name}.png`);
    await expect(hit.locator('mark').first().textContent()).resolves.toMatch(/montgomery/i);

    // Keyboard: focus the hit and open it with Enter.
    await hit.focus();
    await page.keyboard.press('Enter');
    const image = page.locator('[data-testid=page-image]');
    await image.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=page-image]') as HTMLImageElement | null;
      return img?.complete && img.naturalWidth > 0 && document.querySelector('[data-testid=highlight]');
    });
    await expect(page.locator('[data-testid=position]').textContent()).resolves.toMatch(/^Hit 1 of \d+ · page 1/);

    const desktop = bestIou(await drawnBoxes(target.text));
    expect(desktop).toBeGreaterThanOrEqual(0.5);

    await mkdir(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.locator('.overlay polygon.current').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });

    // A phone: the layout reflows and the boxes follow the image.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const phone = bestIou(await drawnBoxes(target.text));
    expect(phone).toBeGreaterThanOrEqual(0.5);
    const imageWidth = await image.evaluate((img) => img.getBoundingClientRect().width);
    expect(imageWidth).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Escape goes back to the results, with the search still there.
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=hit-list]').waitFor();
  });

  describe('page images', () => {
    const path = (width: number | string, extra = '') =>
      `/v1/documents/${documentId}/pages/1/image?width=${width}${extra}`;

    async function fetchImage(p: string, key = KEY, headers: Record<string, string> = {}) {
      const res = await fetch(stack.client.baseUrl + p, { headers: { Authorization: key, ...headers } });
      return { res, body: Buffer.from(await res.arrayBuffer()) };
    }

    it("puts the OCR's word polygons on the same content at two widths", async () => {
      const words = (
        (await stack.client.request('GET', `/v1/documents/${documentId}/pages/1`, {
          headers: { Authorization: KEY },
        })) as { body: { page: { words: { content: string; polygon: [number, number][] }[] } } }
      ).body.page.words.filter((w) => /^[A-Za-z]{5,}$/.test(w.content));
      expect(words.length).toBeGreaterThan(20);
      const crops: Buffer[][] = [];
      // 800 px shows this 150 dpi page at ~94 dpi, about as small as its 11 pt type stays legible.
      for (const width of [800, 1600]) {
        const { res, body } = await fetchImage(path(width));
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/webp');
        const meta = await sharp(body).metadata();
        expect(meta.width).toBe(width);
        expect(meta.height! / meta.width!).toBeCloseTo(scan.height / scan.width, 2);
        // Every word's box, cut from this rendering and brought to one size, for comparison.
        crops.push(
          await Promise.all(
            words.map(async (w) => {
              const [x0, y0, x1, y1] = polygonToBox(w.polygon, meta.width!, meta.height!);
              const left = Math.max(0, Math.floor(x0));
              const top = Math.max(0, Math.floor(y0));
              return sharp(body)
                .extract({
                  left,
                  top,
                  width: Math.max(1, Math.min(meta.width! - left, Math.ceil(x1 - x0))),
                  height: Math.max(1, Math.min(meta.height! - top, Math.ceil(y1 - y0))),
                })
                .grayscale()
                .resize(48, 12, { fit: 'fill' })
                .raw()
                .toBuffer();
            }),
          ),
        );
      }
      // Each word's box at 800 px shows the ink most like its own box at 1600 px, of all the page's
      // words: a fixed correlation threshold would judge the resampling of ~12 px tall type instead.
      const own = words.filter((_, i) => {
        const self = correlation(crops[0][i], crops[1][i]);
        return words.every((_, j) => j === i || correlation(crops[0][i], crops[1][j]) < self);
      }).length;
      expect(own / words.length).toBeGreaterThanOrEqual(0.95);
      const ink = crops[1].filter((c) => c.some((v) => v < 110)).length;
      expect(ink / words.length).toBeGreaterThanOrEqual(0.95);
    });

    it('rounds widths to cached sizes, sends PNG on request, and answers 304 to a known ETag', async () => {
      const { res, body } = await fetchImage(path(500, '&format=png'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-image-width')).toBe('640');
      expect((await sharp(body).metadata()).width).toBe(640);
      expect(res.headers.get('cache-control')).toContain('private');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]+"$/);
      const again = await fetchImage(path(600, '&format=png'), KEY, { 'If-None-Match': etag });
      expect(again.res.status).toBe(304);
      expect((await fetchImage(path(8))).res.status).toBe(422);
      expect((await fetchImage(path(4001))).res.status).toBe(422);
      expect((await fetchImage(`/v1/documents/${documentId}/pages/2/image`)).res.status).toBe(404);
    });

    it("hides another tenant's page images, and deleting the document removes its cached images", async () => {
      expect((await fetchImage(path(320), OTHER_KEY)).res.status).toBe(404);
      const cacheDir = join(stack.env.DATA_DIR, 'page-images', 'acme');
      const countFiles = async (dir: string): Promise<number> => {
        if (!existsSync(dir)) return 0;
        const entries = await readdir(dir, { withFileTypes: true, recursive: true });
        return entries.filter((e) => e.isFile()).length;
      };
      expect(await countFiles(cacheDir)).toBeGreaterThanOrEqual(3);
      const del = await stack.client.request('DELETE', `/v1/documents/${documentId}`, {
        headers: { Authorization: KEY },
      });
      expect(del.status).toBe(204);
      expect(await countFiles(cacheDir)).toBe(0);
      expect((await fetchImage(path(320))).res.status).toBe(404);
    });
  });
});

function correlation(a: Buffer, b: Buffer): number {
  const mean = (x: Buffer) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}
