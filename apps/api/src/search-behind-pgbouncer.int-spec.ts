/**
 * The API behind PgBouncer in transaction mode (Debian's 1.18 tracks no prepared statements), two
 * server connections shared by all its clients: with DATABASE_POOLER=pgbouncer-transaction it
 * uploads, stores and searches through it, many searches at once, and answers exactly as an API
 * on a direct connection does. With the hit statement named (the default), a client whose server
 * connection another client prepared it on fails: shown on a pool of one server connection, where
 * that is certain. Its event stream is live: LISTEN is on DATABASE_DIRECT_URL, where notifications
 * arrive (through the pooler they never do).
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { dataSourceOptions, PageRepository } from '@recto/database';
import {
  describeWithPgBouncer,
  openEventStream,
  RunningPgBouncer,
  startPgBouncer,
  startTestServices,
  storeWords,
  TestServices,
  uniquePng,
} from '@recto/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from './bootstrap-api';

jest.setTimeout(300_000);

const KEY = 'pgbouncer-key-0123456789';
const WORDS = ['ledger', 'invoice', 'tobacco', 'shipment', 'contract', 'letter', 'harbour', 'cargo'];
const QUERIES = [
  ...WORDS,
  ...WORDS.map((w, i) => `${w} ${WORDS[(i + 3) % WORDS.length]}`),
  'ledg',
  'ship',
  '"ledger invoice"',
  'nothingmatches',
];

describeWithPgBouncer('search behind PgBouncer in transaction mode', () => {
  let services: TestServices;
  let bouncer: RunningPgBouncer;
  let pooled: INestApplication;
  let direct: INestApplication;
  let database: string;
  const documentIds: string[] = [];

  beforeAll(async () => {
    services = await startTestServices('pgbouncer');
    database = new URL(services.db.url).pathname.slice(1);
    bouncer = await startPgBouncer({ serverUrl: services.db.url, poolSize: 2 });
    const base = { ...services.env, API_KEYS: `${KEY}:acme`, LOG_LEVEL: 'warn' };
    pooled = await createApiApp(
      validateConfig(ApiConfig, {
        ...base,
        DATABASE_URL: bouncer.urlOf(services.db.url),
        DATABASE_POOLER: 'pgbouncer-transaction',
        DATABASE_DIRECT_URL: services.db.url,
        // The stream's periodic re-read must not stand in for a lost notification.
        EVENTS_HEARTBEAT_MS: '300000',
      }),
    );
    direct = await createApiApp(validateConfig(ApiConfig, base));
    await pooled.listen(0, '127.0.0.1');
    await direct.init();
    // Uploaded and stored through the pooler: the event outbox's transaction lock and NOTIFY go through it too.
    for (let d = 0; d < 12; d++) {
      const upload = await request(pooled.getHttpServer())
        .post('/v1/documents')
        .set('Authorization', KEY)
        .attach('file', uniquePng(), `d${d}.png`);
      expect(upload.status).toBe(202);
      documentIds.push(upload.body.document.id);
      const pages = Array.from({ length: 1 + (d % 3) }, (_, p) => [
        WORDS.filter((_, w) => (d + p + w) % 3 !== 0),
        ['ledgers', `page${p + 1}`, WORDS[(d + p) % WORDS.length]],
      ]);
      await storeWords(pooled, upload.body.document.id, pages);
    }
  });

  afterAll(async () => {
    await pooled?.close();
    await direct?.close();
    await bouncer?.stop();
    await services?.stop();
  });

  const search = async (app: INestApplication, q: string) => {
    const res = await request(app.getHttpServer())
      .get(`/v1/search?q=${encodeURIComponent(q)}&limit=20`)
      .set('Authorization', KEY);
    const { processing_time_ms: _t, ...rest } = res.body as Record<string, unknown>;
    return { status: res.status, body: rest };
  };

  it('answers every search, 8 at a time, as the API on a direct connection does', async () => {
    const expected = new Map<string, unknown>();
    for (const q of QUERIES) {
      const answer = await search(direct, q);
      expect(answer.status).toBe(200);
      expected.set(q, answer.body);
    }
    expect([...expected.values()].filter((b) => (b as { hits: unknown[] }).hits.length > 0).length).toBeGreaterThan(
      QUERIES.length / 2,
    );

    const work = [...QUERIES, ...QUERIES, ...QUERIES, ...QUERIES];
    const answers: { q: string; status: number; body: unknown }[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let q = work.shift(); q !== undefined; q = work.shift()) answers.push({ q, ...(await search(pooled, q)) });
      }),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    for (const a of answers) expect(a.body).toEqual(expected.get(a.q));

    // Really shared: more client connections than PgBouncer holds to Postgres.
    const held = await bouncer.connections(database);
    expect(held.servers).toBeLessThanOrEqual(2);
    expect(held.clients).toBeGreaterThan(held.servers);
  });

  it('with the hit statement named, a second client fails on the server connection the first prepared it on', async () => {
    const single = await startPgBouncer({ serverUrl: services.db.url, poolSize: 1 });
    const sources = [0, 1].map(() => new DataSource(dataSourceOptions(single.urlOf(services.db.url))));
    try {
      const [first, second] = await Promise.all(sources.map((s) => s.initialize()));
      const ids = ((await first.query('SELECT id FROM pages LIMIT 3')) as { id: string }[]).map((r) => r.id);
      const named = { namedStatements: true };
      expect(await new PageRepository(first, named).findHitPages('acme', ids, [])).toHaveLength(ids.length);
      await expect(new PageRepository(second, named).findHitPages('acme', ids, [])).rejects.toMatchObject({
        code: '42P05',
        message: 'prepared statement "recto_search_hit_pages_v2" already exists',
      });
      // Unnamed, the same client on the same server connection is answered.
      expect(await new PageRepository(second, { namedStatements: false }).findHitPages('acme', ids, [])).toHaveLength(
        ids.length,
      );
    } finally {
      for (const s of sources) if (s.isInitialized) await s.destroy();
      await single.stop();
    }
  });

  it('streams an event committed through the pooler to a client of its event stream', async () => {
    const stream = await openEventStream(`${await pooled.getUrl()}/v1/events`, { authorization: KEY });
    try {
      const id = documentIds[0];
      expect(
        (await request(pooled.getHttpServer()).delete(`/v1/documents/${id}`).set('Authorization', KEY)).status,
      ).toBe(204);
      const [message] = await stream.waitFor(1, 10_000);
      expect([message.event, JSON.parse(message.data).data.id]).toEqual(['document.deleted', id]);
    } finally {
      stream.close();
    }
  });
});
