/**
 * What operators and careless clients do, against the built api and worker as processes: the
 * search engine frozen, Postgres frozen, an Idempotency-Key reused with another file, a reprocess
 * asking for an engine no worker has, a multipart part under the wrong name. The stack runs on a
 * Postgres and a Meilisearch of its own, so freezing them (SIGSTOP) touches no other suite.
 */
import {
  EmbeddedMeilisearch,
  EmbeddedPostgres,
  startEmbeddedMeilisearch,
  startEmbeddedPostgres,
} from '@recto/embedded-services';
import { RectoStack, signalPostgres as pgSignal, signalProcess, startRectoStack, testPage } from '@recto/testing';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'operator-key-0123456789';
/** A hang is a failure here, not a test that never ends. */
const ANSWER_WITHIN_MS = 20_000;

let root: string;
let pg: EmbeddedPostgres;
let meili: EmbeddedMeilisearch;
let stack: RectoStack;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'recto-operator-'));
  // As root, the embedded Postgres runs as `postgres`, which must be able to enter the directory.
  await chmod(root, 0o755);
  pg = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), password: 'operator', database: 'recto_operator' });
  meili = await startEmbeddedMeilisearch({ dataDir: join(root, 'meili'), port: 0 });
  stack = await startRectoStack('operator-faults', {
    DATABASE_URL: pg.url,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    API_KEYS: `${KEY}:acme`,
    THROTTLE_LIMIT: '0',
  });
});

afterAll(async () => {
  signalPostgres('SIGCONT');
  if (meili) signalProcess(meili.pid, 'SIGCONT');
  await stack?.stop();
  await meili?.stop();
  await pg?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

const signalPostgres = (name: NodeJS.Signals) => root && pgSignal(join(root, 'pg'), name);

async function call(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) {
  const res = await fetch(stack.client.baseUrl + path, {
    method,
    body,
    headers: { Authorization: KEY, ...headers },
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

function expectProblem(answer: { res: Response; body: Record<string, unknown> }, status: number, code: string) {
  expect(answer.res.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ status, code, detail: expect.any(String) });
}

function expectUnavailable(answer: { res: Response; body: Record<string, unknown> }) {
  expectProblem(answer, 503, 'service_unavailable');
  expect(Number(answer.res.headers.get('retry-after'))).toBeGreaterThan(0);
  // No host, port or URL of anything internal.
  expect(answer.body.detail).not.toMatch(/127\.0\.0\.1|localhost|https?:|:\d{2,5}\b/);
}

const form = (bytes: Buffer, name: string, part = 'file') => {
  const f = new FormData();
  f.append(part, new Blob([new Uint8Array(bytes)]), name);
  return f;
};

it('answers a frozen search engine with 503 and Retry-After, naming no address, and recovers', async () => {
  expect((await call('GET', '/v1/search?q=invoice')).res.status).toBe(200);
  signalProcess(meili.pid, 'SIGSTOP');
  try {
    expectUnavailable(await call('GET', '/v1/search?q=invoice'));
  } finally {
    signalProcess(meili.pid, 'SIGCONT');
  }
  expect((await call('GET', '/v1/search?q=invoice')).res.status).toBe(200);
});

it('answers a frozen Postgres with 503 and Retry-After on reads and uploads, and recovers', async () => {
  signalPostgres('SIGSTOP');
  try {
    expectUnavailable(await call('GET', '/v1/documents'));
    expectUnavailable(
      await call('POST', '/v1/documents', form(await readFile(testPage('synthetic_letter').imagePath), 'l.png')),
    );
  } finally {
    signalPostgres('SIGCONT');
  }
  // The pool replaces the connections that were stuck; then reads work again.
  for (let i = 0; ; i++) {
    const { res } = await call('GET', '/v1/documents');
    if (res.status === 200) break;
    if (i > 60) throw new Error(`still ${res.status} after Postgres came back`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

it('refuses an Idempotency-Key reused with another file, and ingests nothing for it', async () => {
  const letter = await readFile(testPage('synthetic_letter').imagePath);
  const minutes = await readFile(testPage('synthetic_minutes').imagePath);
  const first = await call('POST', '/v1/documents', form(letter, 'a.png'), { 'Idempotency-Key': 'op-key-1' });
  expect(first.res.status).toBe(202);
  const again = await call('POST', '/v1/documents', form(letter, 'a.png'), { 'Idempotency-Key': 'op-key-1' });
  expect(again.res.status).toBe(202);
  expect((again.body.document as { id: string }).id).toBe((first.body.document as { id: string }).id);
  const other = await call('POST', '/v1/documents', form(minutes, 'a.png'), { 'Idempotency-Key': 'op-key-1' });
  expect(other.res.status).toBe(422);
  expectProblem(other, 422, 'idempotency_key_reused');
  const list = await call('GET', '/v1/documents?limit=100');
  const sha = (await import('node:crypto')).createHash('sha256').update(minutes).digest('hex');
  expect((list.body.documents as { sha256: string }[]).map((d) => d.sha256)).not.toContain(sha);
});

it('refuses up front a reprocess with an engine no worker runs, and names a misnamed part plainly', async () => {
  const uploaded = await call(
    'POST',
    '/v1/documents',
    form(await readFile(testPage('synthetic_invoice').imagePath), 'i.png'),
  );
  const id = (uploaded.body.document as { id: string }).id;
  expect((await stack.client.waitProcessed(id)).status).toBe('Processed');
  const refused = await call('POST', `/v1/documents/${id}/reprocess`, JSON.stringify({ provider: 'mindee' }), {
    'content-type': 'application/json',
  });
  expect(refused.res.status).toBe(422);
  expectProblem(refused, 422, 'provider_not_available');
  expect(refused.body.detail).toContain('mindee');
  const { status } = (await call('GET', `/v1/documents/${id}`)).body.document as { status: string };
  expect(status).toBe('Processed');

  const misnamed = await call('POST', '/v1/documents', form(Buffer.from('x'), 'x.png', 'scan'));
  expect(misnamed.res.status).toBe(422);
  expect(misnamed.body.detail).toBe("Unexpected file field 'scan': send the scan in a part named 'file'.");
});
