/**
 * Hostile input and faults, on the built api and worker as processes with real OCR, Postgres,
 * Redis and Meilisearch: every hostile file gets a reason and harms nothing else; a worker killed
 * with SIGKILL mid-OCR, a flushed queue and a Meilisearch outage all end with each document
 * Processed exactly once; `npm run reindex` rebuilds the index from Postgres.
 */
import { loadConfig, TestConfig } from '@recto/config';
import { redisConnectionOf } from '@recto/queue';
import { MeilisearchAdapter } from '@recto/search';
import {
  encryptedPdf,
  loadTestPages,
  manyPagePdf,
  pngPixelBomb,
  RectoStack,
  startRectoStack,
  tiffWithDimensions,
  TestMeilisearch,
  useTestMeilisearch,
  waitFor,
} from '@recto/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdir } from 'node:fs/promises';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

type Doc = {
  id: string;
  status: string;
  filename: string;
  page_count: number | null;
  error: { code: string; detail: string } | null;
};

const scans = loadTestPages().filter((s) => s.dataset === 'synthetic');
const table: { input: string; answer: string }[] = [];
let stack: RectoStack;
let meili: TestMeilisearch;
let proxy: MeiliProxy;
let queue: Queue;
let pg: Client;

/** A TCP forwarder in front of Meilisearch that the test can take down and bring back. */
class MeiliProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: URL) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server?.close(r));
  }
}

beforeAll(async () => {
  meili = await useTestMeilisearch();
  proxy = new MeiliProxy(new URL(meili.url));
  await proxy.up();
  stack = await startRectoStack('resilience', {
    MEILI_URL: `http://127.0.0.1:${proxy.port}`,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    OCR_CONCURRENCY: '1',
    // Seconds rather than the production minutes, so that recovery is observable in a test.
    // A lock short enough to expire soon after a kill, long enough to survive a CPU-starved event loop.
    QUEUE_LOCK_DURATION_MS: '15000',
    QUEUE_STALLED_INTERVAL_MS: '3000',
    RECONCILE_INTERVAL_MS: '2000',
    RECONCILE_IDLE_MS: '3000',
    THROTTLE_LIMIT: '0',
  });
  queue = new Queue('documents', {
    connection: redisConnectionOf(loadConfig(TestConfig).RECTO_TEST_REDIS_URL),
    prefix: stack.env.QUEUE_PREFIX,
  });
  pg = new Client({ connectionString: stack.env.DATABASE_URL });
  await pg.connect();
});

afterAll(async () => {
  if (table.length)
    console.log(['| input | answer |', '|---|---|', ...table.map((r) => `| ${r.input} | ${r.answer} |`)].join('\n'));
  await pg?.end();
  await queue?.close();
  await stack?.stop();
  await proxy?.down();
  await meili?.stop();
});

/** A small scan: a crop of a test page, different for each seed so each upload is new bytes. */
const crop = (seed: number, height = 220) =>
  sharp(scans[seed % scans.length].imagePath)
    .extract({ left: 0, top: 60 + seed * 7, width: 700, height })
    .png()
    .toBuffer();

async function upload(bytes: Buffer, filename: string, fields: Record<string, string> = {}): Promise<string> {
  const res = await stack.client.upload(bytes, filename, fields);
  if (res.status !== 202) throw new Error(`upload ${filename}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.document as Doc).id;
}

const done = async (id: string) => (await stack.client.waitProcessed(id, 300_000)) as unknown as Doc;

async function counts(id: string) {
  const { rows } = await pg.query(
    `SELECT (SELECT count(*)::int FROM pages WHERE document_id = $1) AS pages,
            (SELECT count(DISTINCT number)::int FROM pages WHERE document_id = $1) AS numbers,
            (SELECT count(*)::int FROM pages WHERE document_id = $1 AND octet_length(words) > 2) AS with_words`,
    [id],
  );
  // Words are a column of their page (pages.words): they cannot outlive it or attach elsewhere.
  return rows[0] as { pages: number; numbers: number; with_words: number };
}

async function indexedPageIds(id: string): Promise<string[]> {
  const index = new MeilisearchAdapter({ url: meili.url, apiKey: meili.apiKey, indexName: stack.env.MEILI_INDEX });
  try {
    return (await index.pageIdsOf(id)).sort();
  } finally {
    index.close();
  }
}

/** One set of pages and words, and the index holding exactly those pages. */
async function expectExactlyOnce(id: string, pages: number) {
  const c = await counts(id);
  expect(c).toMatchObject({ pages, numbers: pages });
  expect(c.with_words).toBeGreaterThan(0);
  const { rows } = await pg.query('SELECT id FROM pages WHERE document_id = $1 ORDER BY id', [id]);
  expect(await indexedPageIds(id)).toEqual(rows.map((r: { id: string }) => r.id).sort());
}

describe('hostile files', () => {
  it('answers each with a reason and leaves everything else working', async () => {
    const truncated = await PDFDocument.create();
    truncated.addPage([612, 792]).drawText('hello', { x: 50, y: 700 });
    const pdfBytes = Buffer.from(await truncated.save());
    const worker: [string, Buffer, string][] = [
      ['PNG pixel bomb, 30000×30000 declared (≈500 bytes)', pngPixelBomb(30000, 30000), 'bomb.png'],
      ['TIFF declaring 100000×100000 pixels', tiffWithDimensions(100000, 100000), 'bomb.tiff'],
      ['broken TIFF (IFD points at a strip that is not there)', tiffWithDimensions(800, 600), 'broken.tiff'],
      ['PDF of 10,000 pages', manyPagePdf(10_000), 'many.pdf'],
      ['encrypted PDF (user password)', encryptedPdf(), 'secret.pdf'],
      ['truncated PDF (first third)', pdfBytes.subarray(0, Math.floor(pdfBytes.length / 3)), 'truncated.pdf'],
      [
        'malformed PDF (header, then garbage)',
        Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x41)]),
        'junk.pdf',
      ],
    ];
    const ids = [];
    for (const [, bytes, name] of worker) ids.push(await upload(bytes, name));
    const ok = await upload(await crop(0), '../../etc/passwd');

    for (const [i, [input]] of worker.entries()) {
      const doc = await done(ids[i]);
      expect(doc.status).toBe('Failed');
      expect(doc.error).toMatchObject({ code: expect.any(String), detail: expect.any(String) });
      table.push({ input, answer: `202, then Failed \`${doc.error!.code}\`: "${doc.error!.detail}"` });
    }
    const codes = Object.fromEntries(
      worker.map(([, , name], i) => [name, table[table.length - worker.length + i].answer]),
    );
    expect(codes['bomb.png']).toContain('image_too_large');
    expect(codes['many.pdf']).toContain('too_many_pages');
    expect(codes['secret.pdf']).toContain('encrypted_pdf');
    expect(codes['truncated.pdf']).toContain('unreadable_file');
    expect(codes['junk.pdf']).toContain('unreadable_file');

    // The good document that came with them is processed, and its hostile name is only a label.
    const good = await done(ok);
    expect(good).toMatchObject({ status: 'Processed', filename: 'passwd' });
    table.push({
      input: 'filename `../../etc/passwd` (multipart)',
      answer: '202, stored as display name `passwd`; never a path',
    });
    const json = await stack.client.request('POST', '/v1/documents', {
      body: JSON.stringify({
        file_base64: (await crop(1)).toString('base64'),
        filename: '..\\..\\x\u0000\u001b[31m.png',
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(202);
    table.push({
      input: 'filename `..\\\\..\\\\x<NUL><ESC>[31m.png` (JSON)',
      answer: `202, stored as \`${(json.body.document as Doc).filename}\``,
    });
    const files = await listFiles(stack.env.DATA_DIR);
    expect(files.every((f) => /^(originals|tmp|page-images)\//.test(f))).toBe(true);
    expect(files.some((f) => f.includes('passwd') || f.includes('..'))).toBe(false);

    for (const [input, fields] of [
      ['`alias` of 257 characters', { alias: 'a'.repeat(257) }],
      [
        '`metadata` with 65 keys',
        { metadata: JSON.stringify(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]))) },
      ],
      ['`metadata` value of 1025 characters', { metadata: JSON.stringify({ note: 'x'.repeat(1025) }) }],
      ['`metadata` field of 300 KB (multipart)', { metadata: JSON.stringify({ a: 'x'.repeat(300 * 1024) }) }],
      ['nested `metadata`', { metadata: '{"a":{"b":1}}' }],
    ] as [string, Record<string, string>][]) {
      const res = await stack.client.upload(await crop(2), 'x.png', fields);
      expect(res.status).toBe(422);
      table.push({ input, answer: `${res.status} \`${res.body.code}\`: "${res.body.detail}"` });
    }
  });
});

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else out.push(relative(resolve(root), full));
    }
  };
  await walk(resolve(root));
  return out;
}

describe('crash safety', () => {
  it('a worker killed with SIGKILL mid-OCR: the stalled job is retried and the document ends Processed once', async () => {
    const tiff = await sharp(
      [3, 4, 5].map((i) => scans[i % scans.length].imagePath),
      { join: { animated: true } },
    )
      .tiff({ compression: 'lzw' })
      .toBuffer();
    const id = await upload(tiff, 'three-pages.tiff');
    await waitFor(
      'OCR to be running',
      async () => ((await (await queue.getJob(`${id}.ocr`))?.getState()) === 'active' ? true : undefined),
      60_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const killedAt = Date.now();
    await stack.restartWorker('SIGKILL');
    const doc = await done(id).catch((err: Error) => {
      throw new Error(`${err.message}\nworker output:\n${stack.worker.output.slice(-60).join('')}`);
    });
    console.log(`SIGKILL mid-OCR: Processed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    expect(doc).toMatchObject({ status: 'Processed', page_count: 3 });
    await expectExactlyOnce(id, 3);
  });

  it('documents whose jobs were flushed from Redis are re-queued by the reconciler', async () => {
    await stack.stopWorker();
    const id = await upload(await crop(3), 'flushed.png');
    const redis = new Redis(loadConfig(TestConfig).RECTO_TEST_REDIS_URL);
    try {
      // Only this suite's keys: other suites share this Redis.
      const keys = await redis.keys(`${stack.env.QUEUE_PREFIX}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    expect(await queue.getJob(`${id}.ocr`)).toBeUndefined();
    stack.startWorker();
    expect(await done(id)).toMatchObject({ status: 'Processed', page_count: 1 });
    await expectExactlyOnce(id, 1);
  });

  it('Meilisearch down: pages and words stay in Postgres and the index catches up when it returns', async () => {
    await proxy.down();
    const id = await upload(await crop(4), 'outage.png');
    const page = await waitFor(
      'OCR results in Postgres',
      async () => {
        const res = await stack.client.get<{ page: { words: unknown[] } }>(`/v1/documents/${id}/pages/1`);
        return res.status === 200 ? res.body.page : undefined;
      },
      120_000,
    );
    expect(page.words.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 5000));
    expect((await stack.client.get<{ document: Doc }>(`/v1/documents/${id}`)).body.document.status).toBe('Processing');
    const search = await stack.client.get(`/v1/search?q=the`);
    expect(search.status).toBe(503);
    expect(search.body).toMatchObject({ code: 'service_unavailable' });

    await proxy.up();
    expect(await done(id)).toMatchObject({ status: 'Processed' });
    await expectExactlyOnce(id, 1);
  });

  it('`npm run reindex` rebuilds the whole index from Postgres', async () => {
    const index = new MeilisearchAdapter({ url: meili.url, apiKey: meili.apiKey, indexName: stack.env.MEILI_INDEX });
    await index.deleteAll();
    index.close();
    const { rows } = await pg.query(`SELECT id FROM documents WHERE status = 'Processed'`);
    // Asynchronously: the Meilisearch proxy lives in this process and must keep forwarding.
    const run = await promisify(execFile)('npx', ['tsx', 'scripts/reindex.ts'], {
      cwd: resolve(__dirname, '..'),
      env: { ...process.env, ...stack.env, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(run.stdout).toContain(
      `Reindexed ${(await pg.query('SELECT count(*)::int AS n FROM documents')).rows[0].n} documents`,
    );
    for (const { id } of rows) {
      const { rows: pages } = await pg.query('SELECT id FROM pages WHERE document_id = $1 ORDER BY id', [id]);
      expect(await indexedPageIds(id)).toEqual(pages.map((p: { id: string }) => p.id).sort());
    }
  });
});
