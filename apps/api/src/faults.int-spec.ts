/**
 * The API when what it stands on fails: Meilisearch frozen (SIGSTOP) or gone, Postgres frozen or
 * gone. Each answer is a quick 503 problem with Retry-After whose detail names no internal
 * address, and an upload that could not be recorded leaves no file behind. Postgres and
 * Meilisearch are embedded ones this suite starts (and freezes) itself, never the shared services.
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, loadConfig, TestConfig, validateConfig } from '@recto/config';
import {
  EmbeddedMeilisearch,
  EmbeddedPostgres,
  startEmbeddedMeilisearch,
  startEmbeddedPostgres,
} from '@recto/embedded-services';
import { signalPostgres as pgSignal, signalProcess, uniquePng, waitFor } from '@recto/testing';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

jest.setTimeout(120_000);

let root: string;
let pg: EmbeddedPostgres;
let meili: EmbeddedMeilisearch;
let dataDir: string;
let app: INestApplication;
let http: ReturnType<typeof request>;

const png = uniquePng;
/** Never wait on a hung request forever: a hang is a failure here, not a test that never ends. */
const ANSWER_WITHIN_MS = 20_000;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'recto-faults-'));
  // As root, the embedded Postgres runs as `postgres`, which must be able to enter the directory.
  await chmod(root, 0o755);
  pg = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), password: 'faults', database: 'recto_faults' });
  meili = await startEmbeddedMeilisearch({ dataDir: join(root, 'meili'), port: 0 });
  dataDir = join(root, 'data');
  const config = validateConfig(ApiConfig, {
    DATABASE_URL: pg.url,
    REDIS_URL: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    DATA_DIR: dataDir,
    THROTTLE_LIMIT: '0',
    LOG_LEVEL: 'fatal',
  });
  app = await createApiApp(config);
  await app.init();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  signalPostgres('SIGCONT');
  if (meili) signalProcess(meili.pid, 'SIGCONT');
  await app?.close();
  await meili?.stop();
  await pg?.stop();
  await rm(root, { recursive: true, force: true });
});

const signalPostgres = (name: NodeJS.Signals) => root && pgSignal(join(root, 'pg'), name);

function expectUnavailable(res: request.Response): void {
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 503, code: 'service_unavailable', detail: expect.any(String) });
  expect(res.status).toBe(503);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  // No host, port or URL of anything internal.
  expect(res.body.detail).not.toMatch(/127\.0\.0\.1|localhost|https?:|:\d{2,5}\b/);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every original on disk belongs to a document row, and nothing is left in tmp/. */
async function expectNoOrphanFiles(): Promise<void> {
  const { body } = await http.get('/v1/documents?limit=100').timeout(ANSWER_WITHIN_MS);
  const known = new Set((body.documents as { sha256: string }[]).map((d) => d.sha256));
  for (const file of await filesUnder(join(dataDir, 'originals'))) {
    expect(known).toContain(file.split('/').pop());
  }
  await waitFor(
    'tmp/ to be empty',
    async () => ((await filesUnder(join(dataDir, 'tmp'))).length === 0 ? true : undefined),
    10_000,
  );
}

describe('Meilisearch', () => {
  it('frozen: search answers 503 with Retry-After and no address', async () => {
    expect((await http.get('/v1/search?q=anything').timeout(ANSWER_WITHIN_MS)).status).toBe(200);
    process.kill(meili.pid, 'SIGSTOP');
    try {
      expectUnavailable(await http.get('/v1/search?q=anything').timeout(ANSWER_WITHIN_MS));
    } finally {
      process.kill(meili.pid, 'SIGCONT');
    }
    expect((await http.get('/v1/search?q=anything').timeout(ANSWER_WITHIN_MS)).status).toBe(200);
  });

  it('gone: search answers 503 with Retry-After and no address', async () => {
    await meili.stop();
    expectUnavailable(await http.get('/v1/search?q=anything').timeout(ANSWER_WITHIN_MS));
  });
});

describe('Postgres', () => {
  it('frozen: reads and uploads answer 503 with Retry-After and no address; nothing is left behind', async () => {
    const before = await http.post('/v1/documents').attach('file', png(), 'before.png').timeout(ANSWER_WITHIN_MS);
    expect(before.status).toBe(202);
    signalPostgres('SIGSTOP');
    try {
      expectUnavailable(await http.get('/v1/documents').timeout(ANSWER_WITHIN_MS));
      expectUnavailable(await http.get(`/v1/documents/${before.body.document.id}`).timeout(ANSWER_WITHIN_MS));
      expectUnavailable(await http.post('/v1/documents').attach('file', png(), 'frozen.png').timeout(ANSWER_WITHIN_MS));
    } finally {
      signalPostgres('SIGCONT');
    }
    await waitFor(
      'the API to answer again',
      async () => ((await http.get('/v1/documents').timeout(ANSWER_WITHIN_MS)).status === 200 ? true : undefined),
      30_000,
    );
    await expectNoOrphanFiles();
  });

  it('gone: every route answers 503 with Retry-After and no address; the upload leaves no file', async () => {
    const originals = (await filesUnder(join(dataDir, 'originals'))).length;
    await pg.stop();
    expectUnavailable(await http.get('/v1/documents').timeout(ANSWER_WITHIN_MS));
    expectUnavailable(await http.get('/v1/stats').timeout(ANSWER_WITHIN_MS));
    expectUnavailable(await http.post('/v1/documents').attach('file', png(), 'gone.png').timeout(ANSWER_WITHIN_MS));
    expect((await filesUnder(join(dataDir, 'originals'))).length).toBe(originals);
    await waitFor(
      'tmp/ to be empty',
      async () => ((await filesUnder(join(dataDir, 'tmp'))).length === 0 ? true : undefined),
      10_000,
    );
    // Health says what is down.
    const ready = await http.get('/health/ready').timeout(ANSWER_WITHIN_MS);
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ postgres: 'down', meilisearch: 'down', redis: 'up' });
  });
});
