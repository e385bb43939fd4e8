/**
 * The viewer's document list kept current by the event stream (GET /v1/events, read with fetch
 * since EventSource cannot send the key): documents uploaded, failed and deleted through the API,
 * not through the page, appear, change and disappear in Chromium without the list being fetched
 * again. Leaves a screenshot in docs/.
 */
import { loadTestPages, pngPixelBomb, RectoStack, startRectoStack } from '@recto/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'live-viewer-key-0123456789';
const SCREENSHOT = resolve(__dirname, '..', 'docs', 'viewer-live-events.png');

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `viewer live e2e skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`,
  );
}
const describeBrowser = haveChromium ? describe : describe.skip;

describeBrowser('viewer updated live by the event stream', () => {
  let stack: RectoStack;
  let browser: BrowserContext;
  let profile: string;
  let page: Page;
  const listFetches: string[] = [];

  beforeAll(async () => {
    stack = await startRectoStack('viewer_live', { API_KEYS: `${KEY}:acme`, EVENTS_HEARTBEAT_MS: '2000' });
    profile = await mkdtemp(join(tmpdir(), 'recto-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 800 },
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/documents' && r.method() === 'GET') listFetches.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const row = (filename: string) => page.locator('[data-testid=document-list] button', { hasText: filename });
  const upload = async (bytes: Buffer, filename: string) => {
    const res = await stack.client.upload(bytes, filename);
    expect(res.status).toBe(202);
    return (res.body.document as { id: string }).id;
  };

  it('shows documents processed, failed and deleted elsewhere as they happen', async () => {
    await page.goto(stack.client.baseUrl + '/');
    await page.fill('#api-key', KEY);
    await page.press('#api-key', 'Enter');
    await page.locator('[data-testid=live-status]', { hasText: 'live' }).waitFor({ timeout: 30_000 });
    await page.getByText('No documents yet.').waitFor();
    const fetchesWhenLive = listFetches.length;

    const [scan] = loadTestPages().filter((p) => p.dataset === 'synthetic');
    const processed = await upload(await readFile(scan.imagePath), 'invoice-from-the-scanner.png');
    const failed = await upload(pngPixelBomb(), 'pixel-bomb.png');
    await row('pixel-bomb.png').locator('[data-testid=status]', { hasText: 'Failed' }).waitFor({ timeout: 120_000 });
    await row('invoice-from-the-scanner.png')
      .locator('[data-testid=status]', { hasText: 'Processed' })
      .waitFor({ timeout: 300_000 });
    expect(await row('invoice-from-the-scanner.png').getAttribute('data-document-id')).toBe(processed);
    await expect(row('pixel-bomb.png').textContent()).resolves.toContain('pixels');
    await page.screenshot({ path: SCREENSHOT });

    const del = await stack.client.request('DELETE', `/v1/documents/${failed}`);
    expect(del.status).toBe(204);
    await row('pixel-bomb.png').waitFor({ state: 'detached', timeout: 30_000 });
    await expect(row('invoice-from-the-scanner.png').count()).resolves.toBe(1);

    // All of that came from the stream: the list was not fetched again after it connected.
    expect(listFetches.length).toBe(fetchesWhenLive);
  }, 600_000);
});
