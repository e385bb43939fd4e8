/**
 * The Mindee adapter against the fake Mindee server (which checks every request and response
 * against the seed's OpenAPI schemas), with the shared request budget in real Redis.
 */
import { DomainException } from '@recto/common';
import { loadConfig, TestConfig } from '@recto/config';
import { FakeMindeeServer, JobPlan, testPage } from '@recto/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InMemoryOcrCheckpoint } from '../../in-memory-ocr.checkpoint';
import { OcrRunCompletedElsewhereError } from '../../ocr-provider.interface';
import { ProviderJobFailedException } from '../../provider-job-failed.exception';
import { MindeeOcrAdapter } from './mindee-ocr.adapter';
import { RedisRequestBudget } from './request-budget';

const API_KEY = `test-key-${randomBytes(4).toString('hex')}`;
const MODEL_ID = randomUUID();
const scan = testPage('synthetic_invoice');

let fake: FakeMindeeServer;
let plans: Map<string, JobPlan>;
let adapter: MindeeOcrAdapter;
let dir: string;

function newAdapter(extra: Partial<ConstructorParameters<typeof MindeeOcrAdapter>[0]> = {}) {
  return new MindeeOcrAdapter({
    apiKey: API_KEY,
    modelId: MODEL_ID,
    baseUrl: fake.baseUrl,
    redisUrl: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
    budgetKey: `test:mindee-budget:${randomBytes(4).toString('hex')}`,
    requestsPerSecond: 100,
    pollInitialDelayMs: 50,
    pollIntervalMs: 50,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    ...extra,
  });
}

async function run(plan: JobPlan = {}, checkpoint = new InMemoryOcrCheckpoint(), documentId = randomUUID()) {
  plans.set(documentId, plan);
  const result = await adapter.recognize({
    documentId,
    filePath: scan.imagePath,
    mimeType: 'image/png',
    filename: 'scan.png',
    checkpoint,
  });
  return { result, documentId, checkpoint };
}

beforeAll(async () => {
  plans = new Map();
  fake = new FakeMindeeServer({
    apiKey: API_KEY,
    modelId: MODEL_ID,
    plan: (alias) => plans.get(alias ?? '') ?? {},
  });
  await fake.start();
  adapter = newAdapter();
  dir = await mkdtemp(join(tmpdir(), 'recto-mindee-'));
});

afterAll(async () => {
  await adapter?.close();
  await fake?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fake.resetCounts();
  fake.throttle = { next: 0, everyOther: false, retryAfterSeconds: 1 };
});

afterEach(() => {
  expect(fake.violations).toEqual([]);
});

describe('MindeeOcrAdapter against the fake Mindee', () => {
  it('202, Processing, then Processed: one enqueue, polls, one result GET; polygons kept, sizes from the file', async () => {
    const { result, documentId } = await run({ processingPolls: 2 });
    expect(fake.counts).toMatchObject({ enqueues: 1, polls: 3, resultFetches: 1, throttled: 0 });
    expect(fake.enqueuesByAlias.get(documentId)).toBe(1);
    expect(result.provider).toBe('mindee');
    expect(result.pages).toHaveLength(1);
    const page = result.pages[0];
    expect([page.width, page.height]).toEqual([scan.width, scan.height]);
    const sent = fake.jobOf(documentId)!.page[0].words;
    expect(page.words).toHaveLength(sent.length);
    // Every word keeps Mindee's polygon exactly; only the order changes (reading order by lines).
    const key = (w: { content: string; polygon: number[][] }) => `${w.content}|${JSON.stringify(w.polygon)}`;
    expect(page.words.map(key).sort()).toEqual(sent.map(key).sort());
    expect(new Set(page.words.map((w) => w.line)).size).toBeGreaterThan(10);
  });

  it('reads a 302 from the status endpoint as Processed', async () => {
    const redirecting = new FakeMindeeServer({ apiKey: API_KEY, modelId: MODEL_ID, ignoreRedirectParam: true });
    await redirecting.start();
    const client = newAdapter({ baseUrl: redirecting.baseUrl });
    try {
      const result = await client.recognize({
        documentId: randomUUID(),
        filePath: scan.imagePath,
        mimeType: 'image/png',
      });
      expect(result.pages[0].words.length).toBeGreaterThan(50);
      expect(redirecting.counts).toMatchObject({ enqueues: 1, polls: 3, resultFetches: 1 });
      expect(redirecting.violations).toEqual([]);
    } finally {
      await client.close();
      await redirecting.stop();
    }
  });

  it('fails permanently with the job error of a Failed job', async () => {
    const fail = {
      status: 422,
      title: 'Unprocessable',
      detail: 'The file could not be read.',
      code: '422-010',
      errors: [],
    };
    const error = await run({ fail }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderJobFailedException);
    expect((error as ProviderJobFailedException).permanent).toBe(true);
    expect((error as ProviderJobFailedException).providerError).toEqual(fail);
    expect(fake.counts.resultFetches).toBe(0);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    fake.throttle = { next: 2, everyOther: false, retryAfterSeconds: 1 };
    const started = Date.now();
    await run({ processingPolls: 0 });
    expect(fake.counts.throttled).toBe(2);
    expect(fake.counts.enqueues).toBe(1);
    // Two refusals, each asking for a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('gives up transiently when Mindee keeps throttling, for the queue to retry later', async () => {
    const impatient = newAdapter({ maxRetries: 2 });
    fake.throttle = { next: 100, everyOther: false, retryAfterSeconds: null };
    try {
      const error = await impatient
        .recognize({ documentId: randomUUID(), filePath: scan.imagePath, mimeType: 'image/png' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainException);
      expect((error as DomainException).permanent).toBe(false);
      expect(fake.counts.throttled).toBe(3);
    } finally {
      fake.throttle.next = 0;
      await impatient.close();
    }
  });

  it("fails permanently with Mindee's reason on a 422 at enqueue", async () => {
    const reject = { status: 422, title: 'Unprocessable Content', detail: 'Model not found.', code: '422-004' };
    const error = (await run({ reject }).catch((e: unknown) => e)) as DomainException;
    expect(error).toBeInstanceOf(DomainException);
    expect(error.permanent).toBe(true);
    expect(error.message).toContain('422');
    expect(error.message).toContain('Model not found.');
  });

  it('fails permanently on a wrong API key', async () => {
    const wrong = newAdapter({ apiKey: 'not-the-key' });
    try {
      const error = (await wrong
        .recognize({ documentId: randomUUID(), filePath: scan.imagePath, mimeType: 'image/png' })
        .catch((e: unknown) => e)) as DomainException;
      expect(error.permanent).toBe(true);
      expect(error.message).toMatch(/401/);
    } finally {
      fake.violations.length = 0;
      await wrong.close();
    }
  });

  it('resumes a saved job after the attempt died: no second enqueue, one result GET', async () => {
    const documentId = randomUUID();
    plans.set(documentId, { hold: true });
    const checkpoint = new InMemoryOcrCheckpoint();
    const killed = new AbortController();
    const first = adapter
      .recognize({ documentId, filePath: scan.imagePath, mimeType: 'image/png', checkpoint, signal: killed.signal })
      .catch((e: unknown) => e);
    while ((fake.jobOf(documentId)?.polls ?? 0) < 2) await new Promise((r) => setTimeout(r, 20));
    killed.abort();
    await first;
    const job = fake.jobOf(documentId)!;
    fake.release(job.id);
    const resumed = newAdapter();
    try {
      const result = await resumed.recognize({
        documentId,
        filePath: scan.imagePath,
        mimeType: 'image/png',
        checkpoint,
      });
      expect(result.pages[0].words.length).toBe(job.page[0].words.length);
      expect(fake.enqueuesByAlias.get(documentId)).toBe(1);
      expect(job.resultFetches).toBe(1);
      expect(resumed.stats.sent.enqueue).toBe(0);
      // A run whose result is saved in the checkpoint resumes without any request at all.
      fake.resetCounts();
      await resumed.recognize({ documentId, filePath: scan.imagePath, mimeType: 'image/png', checkpoint });
      expect(fake.counts.requests).toBe(0);
    } finally {
      await resumed.close();
    }
  });

  it('fails with a clear reason when the result was deleted on an earlier fetch (404)', async () => {
    const { documentId } = await run({ processingPolls: 0 });
    const job = fake.jobOf(documentId)!;
    const lost = new InMemoryOcrCheckpoint();
    await lost.save({
      externalId: job.id,
      data: {
        phase: 'polling',
        enqueueAttempts: 1,
        jobId: job.id,
        pollingUrl: `${fake.baseUrl}/v2/jobs/${job.id}`,
        enqueuedAt: Date.now(),
        resultUrl: `${fake.baseUrl}/v2/products/ocr/results/${job.inferenceId}`,
      },
    });
    const error = (await run({}, lost, documentId).catch((e: unknown) => e)) as DomainException;
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/404/);
    expect(error.message).toMatch(/deleted/);
    expect(job.resultFetches).toBe(1);
    expect(fake.enqueuesByAlias.get(documentId)).toBe(1);
  });

  it('stops polling when another path (a webhook) completed the run', async () => {
    const documentId = randomUUID();
    plans.set(documentId, { hold: true });
    const checkpoint = new InMemoryOcrCheckpoint();
    const pending = adapter
      .recognize({ documentId, filePath: scan.imagePath, mimeType: 'image/png', checkpoint })
      .catch((e: unknown) => e);
    while ((fake.jobOf(documentId)?.polls ?? 0) < 1) await new Promise((r) => setTimeout(r, 20));
    checkpoint.markCompleted();
    expect(await pending).toBeInstanceOf(OcrRunCompletedElsewhereError);
    expect(fake.counts.resultFetches).toBe(0);
  });

  it('checks type and size before sending anything', async () => {
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'just some text, not a scan');
    const big = join(dir, 'big.pdf');
    await writeFile(big, '%PDF-1.7\n');
    await truncate(big, 100 * 1024 * 1024 + 1);
    for (const [filePath, code] of [
      [text, 'unsupported_media_type'],
      [big, 'payload_too_large'],
    ]) {
      const error = (await adapter
        .recognize({ documentId: randomUUID(), filePath, mimeType: 'application/pdf' })
        .catch((e: unknown) => e)) as DomainException;
      expect(error.code).toBe(code);
      expect(error.permanent).toBe(true);
    }
    expect(fake.counts.requests).toBe(0);
  });

  it('shares one request budget between adapters (workers) using the same key', async () => {
    const key = `test:mindee-budget:${randomBytes(4).toString('hex')}`;
    const budgets = [0, 1].map(
      () =>
        new RedisRequestBudget({ redisUrl: loadConfig(TestConfig).RECTO_TEST_REDIS_URL, key, requestsPerSecond: 10 }),
    );
    try {
      const started = Date.now();
      // 40 requests at 10/s with a burst of 10, split over two "workers": about 3 s, not 1.5 s.
      await Promise.all(
        budgets.map(async (b) => {
          for (let i = 0; i < 20; i++) await b.acquire();
        }),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(2800);
    } finally {
      await Promise.all(budgets.map((b) => b.close()));
    }
  });
});
