/**
 * OCR_PROVIDER=mindee end to end: the built api and workers as processes against the fake
 * Mindee (which validates every request and response against the seed's OpenAPI schemas).
 */
import {
  DevScan,
  FakeMindeeServer,
  JobPlan,
  loadAllScans,
  pageFromGroundTruth,
  RectoStack,
  RunningApp,
  startBuiltApp,
  startRectoStack,
  waitFor,
} from '@recto/testing';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

type Polygon = [number, number][];
type Doc = {
  id: string;
  status: string;
  ocr_provider: string;
  page_count: number | null;
  error: { code: string; detail: string; provider_error?: unknown } | null;
};
type Page = { width: number; height: number; words: { content: string; polygon: Polygon }[] };
type Hit = { page: number; highlights: { content: string; polygon: Polygon }[] };

const API_KEY = `md-e2e-${randomBytes(6).toString('hex')}`;
const MODEL_ID = randomUUID();
const SECRET = `whsec-${randomBytes(12).toString('hex')}`;
// The test pages, and the real dev scans where present.
const scans = loadAllScans();
const plans = new Map<string, JobPlan>();
let fake: FakeMindeeServer;
let stack: RectoStack;
let extraWorker: RunningApp | null = null;

beforeAll(async () => {
  fake = new FakeMindeeServer({
    apiKey: API_KEY,
    modelId: MODEL_ID,
    // Plans are chosen by filename, known before the upload (the alias, our id, is not).
    plan: (_alias, filename) => plans.get(filename ?? '') ?? { processingPolls: 2 },
  });
  await fake.start();
  stack = await startRectoStack('mindee', {
    OCR_PROVIDER: 'mindee',
    MINDEE_API_KEY: API_KEY,
    MINDEE_MODEL_ID: MODEL_ID,
    MINDEE_BASE_URL: fake.baseUrl,
    MINDEE_WEBHOOK_SECRET: SECRET,
    MINDEE_WEBHOOK_IDS: randomUUID(),
    MINDEE_POLL_INITIAL_DELAY_MS: '300',
    MINDEE_POLL_INTERVAL_MS: '200',
    MINDEE_REQUESTS_PER_SECOND: '50',
    MINDEE_BACKOFF_BASE_MS: '200',
    OCR_CONCURRENCY: '4',
    OCR_LANGUAGES: 'eng',
    QUEUE_LOCK_DURATION_MS: '4000',
    QUEUE_STALLED_INTERVAL_MS: '2000',
  });
  fake.options.webhook = { url: `${stack.client.baseUrl}/v1/webhooks/mindee`, secret: SECRET };
});

afterAll(async () => {
  await extraWorker?.stop();
  await stack?.stop();
  await fake?.stop();
});

afterEach(() => {
  expect(fake.violations).toEqual([]);
});

async function upload(bytes: Buffer, filename: string): Promise<string> {
  const res = await stack.client.upload(bytes, filename);
  if (res.status !== 202) throw new Error(`upload ${filename}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.document as Doc).id;
}

async function waitDone(id: string): Promise<Doc> {
  return (await stack.client.waitProcessed(id, 180_000)) as unknown as Doc;
}

/** A copy of a scan with one pixel changed: other bytes (not a duplicate), same words for the fake. */
let variant = 0;
async function variantOf(scan: DevScan): Promise<Buffer> {
  variant++;
  const bytes = await sharp(scan.imagePath)
    .composite([
      {
        input: { create: { width: 1, height: 1, channels: 3, background: { r: variant % 256, g: 7, b: 9 } } },
        left: variant,
        top: 0,
      },
    ])
    .png()
    .toBuffer();
  fake.register(bytes, pageFromGroundTruth(scan));
  return bytes;
}

async function page(id: string, n = 1): Promise<Page> {
  const res = await stack.client.get<{ page: Page }>(`/v1/documents/${id}/pages/${n}`);
  expect(res.status).toBe(200);
  return res.body.page;
}

const key = (p: Polygon) => JSON.stringify(p);

describe('every test page through Mindee, with two workers', () => {
  const ids = new Map<string, string>();

  beforeAll(async () => {
    extraWorker = startBuiltApp('worker', stack.env);
    fake.resetCounts();
    const started = Date.now();
    for (const scan of scans) ids.set(scan.name, await upload(await readFile(scan.imagePath), `${scan.name}.png`));
    for (const id of ids.values()) expect((await waitDone(id)).status).toBe('Processed');
    console.log(
      `${scans.length} pages via Mindee (fake) in ${((Date.now() - started) / 1000).toFixed(1)} s; requests: ${JSON.stringify(fake.counts)}`,
    );
  });

  it('enqueues each document exactly once, fetches each result once, and one worker handles each', async () => {
    for (const id of ids.values()) {
      expect(fake.enqueuesByAlias.get(id)).toBe(1);
      expect(fake.jobOf(id)!.resultFetches).toBe(1);
    }
    expect(fake.counts.enqueues).toBe(scans.length);
    expect(fake.counts.resultFetches).toBe(scans.length);
    const logs = [stack.worker.output.join(''), extraWorker!.output.join('')];
    for (const id of ids.values()) {
      const handledBy = logs.filter((log) => new RegExp(`"documentId":"${id}"[^\\n]*"OCR done"`).test(log)).length;
      expect(handledBy).toBe(1);
    }
    // Both workers took part.
    expect(logs.every((log) => log.includes('"OCR done"'))).toBe(true);
  });

  it("answers searches with highlights equal to Mindee's polygons, and page sizes from the file", async () => {
    let checked = 0;
    for (const scan of scans) {
      const id = ids.get(scan.name)!;
      const sent = fake.jobOf(id)!.page[0].words;
      const provider = new Set(sent.map((w) => key(w.polygon)));
      const stored = await page(id);
      expect([stored.width, stored.height]).toEqual([scan.width, scan.height]);
      expect(stored.words.map((w) => key(w.polygon)).sort()).toEqual(sent.map((w) => key(w.polygon)).sort());
      const targets = [...new Set(sent.map((w) => w.content).filter((c) => /^[A-Za-z]{5,}$/.test(c)))].slice(0, 4);
      for (const word of targets) {
        const res = await stack.client.get<{ hits: Hit[] }>(`/v1/documents/${id}/search?q=${encodeURIComponent(word)}`);
        const hit = res.body.hits.find((h) => h.page === 1)!;
        expect(hit).toBeDefined();
        for (const h of hit.highlights) expect(provider.has(key(h.polygon))).toBe(true);
        const exact = sent.filter((w) => w.content === word).map((w) => key(w.polygon));
        expect(hit.highlights.some((h) => exact.includes(key(h.polygon)))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(scans.length * 3);
  });

  it('keeps working when Mindee answers 429 to every other request (all reprocessed)', async () => {
    fake.resetCounts();
    fake.throttle = { next: 0, everyOther: true, retryAfterSeconds: 1 };
    const started = Date.now();
    try {
      for (const id of ids.values()) {
        const res = await stack.client.request('POST', `/v1/documents/${id}/reprocess`, {
          body: JSON.stringify({ provider: 'mindee' }),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(202);
      }
      for (const id of ids.values()) expect((await waitDone(id)).status).toBe('Processed');
    } finally {
      fake.throttle.everyOther = false;
    }
    console.log(
      `429 on every other request: ${scans.length} pages reprocessed in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `requests: ${JSON.stringify(fake.counts)}`,
    );
    for (const id of ids.values()) expect(fake.enqueuesByAlias.get(id)).toBe(2);
    expect(fake.counts.enqueues).toBe(scans.length);
    expect(fake.counts.throttled).toBeGreaterThan(scans.length);
  });

  afterAll(async () => {
    await extraWorker?.stop();
    extraWorker = null;
  });
});

describe('failures', () => {
  it('a Failed job fails the document with the job error', async () => {
    const fail = {
      status: 422,
      title: 'Unprocessable Entity',
      detail: 'The file is corrupted.',
      code: '422-007',
      errors: [],
    };
    plans.set('failed.png', { processingPolls: 1, fail });
    const id = await upload(await variantOf(scans[0]), 'failed.png');
    const doc = await waitDone(id);
    expect(doc.status).toBe('Failed');
    expect(doc.error?.code).toBe('provider_error');
    expect(doc.error?.detail).toContain('The file is corrupted.');
    expect(doc.error?.provider_error).toEqual(fail);
  });

  it('a 422 at enqueue fails the document with the reason', async () => {
    plans.set('rejected.png', {
      reject: { status: 422, title: 'Unprocessable Content', detail: 'Invalid model.', code: '422-004' },
    });
    const id = await upload(await variantOf(scans[1]), 'rejected.png');
    const doc = await waitDone(id);
    expect(doc.status).toBe('Failed');
    expect(doc.error?.detail).toMatch(/422.*Invalid model\./);
    expect(fake.enqueuesByAlias.get(id)).toBe(1);
  });
});

describe('a worker killed between enqueue and result', () => {
  it('is resumed by another worker, which polls the same job: no second enqueue', async () => {
    plans.set('killed.png', { hold: true });
    const id = await upload(await variantOf(scans[2]), 'killed.png');
    await waitFor('the job to be polled', async () => ((fake.jobOf(id)?.polls ?? 0) >= 2 ? true : undefined), 60_000);
    await stack.restartWorker('SIGKILL');
    const job = fake.jobOf(id)!;
    const pollsBefore = job.polls;
    fake.release(job.id);
    const doc = await waitDone(id);
    expect(doc.status).toBe('Processed');
    expect(fake.enqueuesByAlias.get(id)).toBe(1);
    expect(job.polls).toBeGreaterThan(pollsBefore);
    expect(job.resultFetches).toBe(1);
    expect((await page(id)).words).toHaveLength(job.page[0].words.length);
  });
});

describe('webhooks', () => {
  const timings = ['before-polling', 'during-polling', 'after-result'] as const;

  it.each(timings)('a webhook %s: one store, the other path a no-op', async (timing) => {
    const filename = `webhook-${timing}.png`;
    plans.set(filename, { processingPolls: 3, webhook: { timing } });
    const id = await upload(await variantOf(scans[(3 + timings.indexOf(timing)) % scans.length]), filename);
    const doc = await waitDone(id);
    expect(doc.status).toBe('Processed');
    await fake.settled();
    const job = fake.jobOf(id)!;
    const deliveries = fake.webhooks.filter((w) => w.jobId === job.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].status).toBe(200);
    expect(fake.enqueuesByAlias.get(id)).toBe(1);
    if (timing === 'after-result') {
      expect(job.resultFetches).toBe(1);
      expect(deliveries[0].body).toMatchObject({ status: 'ignored', document_id: id });
    } else if (timing === 'during-polling') {
      // The webhook stored the result; the poll after it sees that and never fetches.
      expect(deliveries[0].body).toMatchObject({ status: 'completed', document_id: id });
      expect(job.resultFetches).toBe(0);
    } else {
      // A webhook right after the enqueue races the first poll: whichever stores first wins and the
      // other is the no-op. On a loaded machine the poll can win; either way exactly one stored.
      const body = deliveries[0].body as { status: string; document_id: string };
      expect(body.document_id).toBe(id);
      if (body.status === 'ignored') expect(job.resultFetches).toBe(1);
      else expect(body.status).toBe('completed');
      expect(job.resultFetches).toBeLessThanOrEqual(1);
    }
    const stored = await page(id);
    expect(stored.words.map((w) => key(w.polygon)).sort()).toEqual(job.page[0].words.map((w) => key(w.polygon)).sort());
    // Delivered again later: still a no-op.
    expect((await fake.deliver(job))!.body).toMatchObject({ status: 'ignored' });
  });

  it('a forged signature is a 401 and stores nothing; polling still completes the document', async () => {
    plans.set('forged.png', { processingPolls: 3, webhook: { timing: 'before-polling', forged: true } });
    const id = await upload(await variantOf(scans[6 % scans.length]), 'forged.png');
    const doc = await waitDone(id);
    expect(doc.status).toBe('Processed');
    await fake.settled();
    const job = fake.jobOf(id)!;
    const delivery = fake.webhooks.find((w) => w.jobId === job.id)!;
    expect(delivery.status).toBe(401);
    expect(delivery.body).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(job.resultFetches).toBe(1);
    expect((await page(id)).words.some((w) => w.content === 'FORGED')).toBe(false);
  });

  it('answers 401 without a signature and 404 for a job it does not know', async () => {
    const body = JSON.stringify(
      fake.ocrResponse({ ...fake.jobOf([...fake.jobs.values()][0].alias!)!, id: randomUUID(), alias: null }),
    );
    const post = (headers: Record<string, string>) =>
      stack.client.request('POST', '/v1/webhooks/mindee', {
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
    expect((await post({})).status).toBe(401);
    const signed = createHmac('sha256', SECRET).update(body).digest('hex');
    const unknown = await post({ 'x-mindee-hmac-signature': signed });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('switching providers', () => {
  it('reprocesses with local then back with mindee, replacing pages and words each time', async () => {
    const scan = scans.find((s) => s.name === 'synthetic_invoice')!;
    const id = await upload(await variantOf(scan), 'switch.png');
    expect((await waitDone(id)).status).toBe('Processed');
    const fromMindee = (await page(id)).words.map((w) => key(w.polygon)).sort();
    const reprocess = (provider: string) =>
      stack.client.request('POST', `/v1/documents/${id}/reprocess`, {
        body: JSON.stringify({ provider }),
        headers: { 'content-type': 'application/json' },
      });
    expect((await reprocess('local')).status).toBe(202);
    const local = await waitDone(id);
    expect(local).toMatchObject({ status: 'Processed', ocr_provider: 'local', page_count: 1 });
    const fromLocal = (await page(id)).words;
    expect(fromLocal.length).toBeGreaterThan(50);
    expect(fromLocal.map((w) => key(w.polygon)).sort()).not.toEqual(fromMindee);
    expect((await reprocess('mindee')).status).toBe(202);
    expect(await waitDone(id)).toMatchObject({ status: 'Processed', ocr_provider: 'mindee' });
    expect((await page(id)).words.map((w) => key(w.polygon)).sort()).toEqual(fromMindee);
    expect(fake.enqueuesByAlias.get(id)).toBe(2);
  });
});
