import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  EventOutboxRepository,
  PageRepository,
  runMigrations,
} from '@recto/database';
import { startEmbeddedMeilisearch } from '@recto/embedded-services';
import { MeilisearchAdapter, type PageIndexDocument } from '@recto/search';
import { freePort, PGBOUNCER_BIN, startPgBouncer, waitFor } from '@recto/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { arg, flag, numberArg } from '../lib/args';
import { KeepAliveClient, runClosedLoop, type LoadTask } from '../lib/load';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, startApi } from '../lib/stack';
import { median, round } from '../lib/stats';
import { buildVocabulary, queryMix, SyntheticCorpus } from '../lib/synthetic-corpus';

const PG_BIN = arg('pg-bin', '/usr/lib/postgresql/15/bin');
/** Postgres refuses to run as root: as root, it runs as the `postgres` user (PgBouncer too, startPgBouncer). */
const AS_ROOT = process.getuid?.() === 0;
const command = (bin: string, args: string[]): [string, string[]] =>
  AS_ROOT ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
const TENANT = 'default';

/**
 * Postgres scale-out pieces, tried on one machine: a streaming replica (a second cluster made by
 * pg_basebackup from a primary of its own) serving search's hit statement through
 * DATABASE_REPLICA_URL, and — when the `pgbouncer` program exists — PgBouncer in transaction mode
 * in front of the primary, with the hit statement named (the default) and with
 * DATABASE_POOLER=pgbouncer-transaction (unnamed; also tried straight on the primary, to see what
 * naming it is worth). Checks that the API answers exactly the same through each, that the
 * replica really served the hit statement, and times them at 8 clients in the same rounds.
 *
 *   npm run bench -- replica [--pages 2000] [--rounds 3] [--rebuild] [--pg-bin /usr/lib/postgresql/15/bin]
 */
export async function replicaScenario(): Promise<void> {
  const pages = numberArg('pages', 2000);
  const rounds = numberArg('rounds', 3);
  const dir = await mkdtemp(join(tmpdir(), 'recto-replica-'));
  if (AS_ROOT) execFileSync('chown', ['postgres:postgres', dir]);
  const processes: ChildProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    const primaryPort = await freePort();
    execFileSync(
      ...command(join(PG_BIN, 'initdb'), ['-D', join(dir, 'primary'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']),
      {
        stdio: 'ignore',
      },
    );
    processes.push(await startCluster(join(dir, 'primary'), primaryPort, dir));
    const replicaPort = await freePort();
    // -R writes standby.signal and primary_conninfo: a streaming replica of the primary.
    execFileSync(
      ...command(join(PG_BIN, 'pg_basebackup'), [
        '-h',
        '127.0.0.1',
        '-p',
        String(primaryPort),
        '-U',
        'postgres',
        '-D',
        join(dir, 'replica'),
        '-R',
        '-X',
        'stream',
      ]),
      { stdio: 'ignore' },
    );
    processes.push(await startCluster(join(dir, 'replica'), replicaPort, dir));
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/recto`;
    const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/recto`;
    await runMigrations(primaryUrl);

    const meili = await startEmbeddedMeilisearch({ dataDir: join(dir, 'meili'), port: 0 });
    stops.push(() => meili.stop());
    const indexName = 'replica_pages';
    const adapter = new MeilisearchAdapter({ url: meili.url, apiKey: meili.masterKey, indexName });
    stops.push(async () => adapter.close());
    await adapter.ensureSettings();
    const loadStarted = performance.now();
    await load(primaryUrl, adapter, pages);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const lag = await replayLag(primaryUrl, replicaUrl);

    // Four server connections for the API's pool of ten and 8 clients: they share them.
    const bouncer = PGBOUNCER_BIN
      ? await startPgBouncer({ serverUrl: primaryUrl, poolSize: 4, maxPreparedStatements: 100 })
      : null;
    if (bouncer) stops.push(() => bouncer.stop());

    const dist = benchDist(flag('rebuild'));
    const common = {
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      MEILI_INDEX: indexName,
      DATA_DIR: join(dir, 'data'),
      QUEUE_PREFIX: `replica_${process.pid}`,
      LOG_LEVEL: 'warn',
    };
    const apis: Record<string, Awaited<ReturnType<typeof startApi>>> = {
      primary: await startApi(dist, { ...common, DATABASE_URL: primaryUrl }),
      'primary + replica': await startApi(dist, {
        ...common,
        DATABASE_URL: primaryUrl,
        DATABASE_REPLICA_URL: replicaUrl,
      }),
    };
    // What naming the hit statement is worth, without a pooler in the way.
    const unnamed = { DATABASE_POOLER: 'pgbouncer-transaction', DATABASE_DIRECT_URL: primaryUrl };
    apis['primary, unnamed statement'] = await startApi(dist, { ...common, DATABASE_URL: primaryUrl, ...unnamed });
    if (bouncer) {
      apis['pgbouncer (transaction mode), named statement'] = await startApi(dist, {
        ...common,
        DATABASE_URL: bouncer.urlOf(primaryUrl),
      });
      apis['pgbouncer (transaction mode), DATABASE_POOLER=pgbouncer-transaction'] = await startApi(dist, {
        ...common,
        DATABASE_URL: bouncer.urlOf(primaryUrl),
        ...unnamed,
      });
    }
    for (const api of Object.values(apis)) stops.push(() => api.app.stop());

    const queries = queryMix(buildVocabulary(50_000));
    const http = new KeepAliveClient();
    stops.push(async () => http.close());
    // Same answers through each: hits, highlights and snippets (processing times aside).
    const answers: Record<string, string[]> = {};
    const errors: Record<string, string> = {};
    for (const [name, api] of Object.entries(apis)) {
      answers[name] = [];
      for (const { q } of queries) {
        // The client rejects any status but 2xx: that is this target's error, not the bench's.
        const res = await http
          .send(`${api.baseUrl}/v1/search?q=${encodeURIComponent(q)}&limit=20`)
          .catch((error: Error) => ({ status: 0, body: Buffer.from(error.message) }));
        if (res.status !== 200) {
          // A 500 hides its cause from the client: the API's log line names it.
          const logged = api.app.output.join('').match(/"msg":"[^"]*"|prepared statement[^"\n]*/g) ?? [];
          errors[name] = `${res.body.toString().slice(0, 200)} | log: ${logged.slice(-3).join(' ').slice(0, 400)}`;
          break;
        }
        const body = JSON.parse(res.body.toString()) as Record<string, unknown>;
        delete body.processing_time_ms;
        answers[name].push(JSON.stringify(body));
      }
    }
    const identical = Object.fromEntries(
      Object.keys(apis).map((name) => [name, !errors[name] && answers[name].join() === answers.primary.join()]),
    );

    const replicaReadsBefore = await tuplesReturned(replicaUrl);
    const perRound: Record<string, number[]> = Object.fromEntries(Object.keys(apis).map((n) => [n, []]));
    const rps: Record<string, number[]> = Object.fromEntries(Object.keys(apis).map((n) => [n, []]));
    // Answers other than 200 while 8 clients search at once (one client alone may reuse one server connection).
    const failed: Record<string, { count: number; first?: string }> = Object.fromEntries(
      Object.keys(apis).map((n) => [n, { count: 0 }]),
    );
    for (let r = 0; r < rounds; r++) {
      const names = Object.keys(apis).filter((n) => !errors[n]);
      for (const name of names.map((_, i) => names[(i + r) % names.length])) {
        const tasks: LoadTask[] = [];
        for (let i = 0; i < 4; i++) {
          for (const { q, kind } of queries) {
            tasks.push({
              tag: kind,
              run: async () => {
                await http
                  .send(`${apis[name].baseUrl}/v1/search?q=${encodeURIComponent(q)}&limit=20`)
                  .catch((error: Error) => {
                    failed[name].count++;
                    failed[name].first ??= error.message.slice(0, 400);
                  });
              },
            });
          }
        }
        const round_ = await runClosedLoop(tasks, 8);
        perRound[name].push(round_.p50);
        rps[name].push(round_.rps);
      }
    }
    const replicaReads = (await tuplesReturned(replicaUrl)) - replicaReadsBefore;
    const result = {
      pages,
      loadSeconds: round(loadSeconds, 1),
      replicaReplayLagMsAfterLoad: lag,
      pgbouncer: bouncer ? bouncer.version : 'not installed (apt-get install pgbouncer)',
      identicalAnswers: identical,
      errors,
      failedDuringRounds: failed,
      replicaTuplesReturnedDuringRounds: replicaReads,
      p50Ms: Object.fromEntries(Object.entries(perRound).map(([n, v]) => [n, v.length ? round(median(v), 2) : null])),
      rps: Object.fromEntries(Object.entries(rps).map(([n, v]) => [n, v.length ? round(median(v), 1) : null])),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`written ${writeResult('replica', result, machineInfo())}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    for (const child of processes.reverse()) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function startCluster(dataDir: string, port: number, socketDir: string): Promise<ChildProcess> {
  const child = spawn(
    ...command(join(PG_BIN, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      socketDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]),
    { stdio: 'ignore' },
  );
  await waitFor(
    `postgres on ${port}`,
    async () => {
      const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      try {
        await client.connect();
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    60_000,
  );
  return child;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      res();
    });
    // SIGINT: Postgres's fast shutdown.
    child.kill('SIGINT');
  });
}

async function load(url: string, adapter: MeilisearchAdapter, pages: number): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    const documents = new DocumentRepository(
      dataSource.getRepository(DocumentEntity),
      new EventOutboxRepository(dataSource),
    );
    const repository = new PageRepository(dataSource);
    const corpus = new SyntheticCorpus({
      vocabulary: buildVocabulary(50_000),
      pagesPerDocument: 10,
      wordsPerPage: [120, 280],
      seed: 1,
    });
    const indexDocs: PageIndexDocument[] = [];
    for (let i = 0; i < pages / 10; i++) {
      const doc = corpus.nextDocument();
      await documents.insertOrGetDuplicate(
        Object.assign(new DocumentEntity(), {
          id: doc.id,
          tenantId: TENANT,
          filename: doc.filename,
          alias: null,
          metadata: {},
          mimeType: 'application/pdf',
          sizeBytes: 1,
          sha256: doc.sha256,
          storageKey: `synthetic/${doc.sha256}`,
          status: DocumentStatus.Processing,
          ocrProvider: 'local',
        }),
      );
      const saved = await repository.replaceDocumentPages(
        doc.id,
        doc.pages.map((p) => ({
          number: p.number,
          width: 2480,
          height: 3508,
          content: p.content,
          source: 'ocr',
          words: p.words,
        })),
      );
      await documents.markProcessed(doc.id);
      doc.pages.forEach((p, n) =>
        indexDocs.push({
          id: saved[n].id,
          tenant_id: TENANT,
          document_id: doc.id,
          page_number: p.number,
          content: p.content,
          filename: doc.filename,
          mime_type: 'application/pdf',
          created_at: doc.createdAt.getTime(),
          metadata: {},
        }),
      );
    }
    await adapter.upsertPages(indexDocs);
  } finally {
    await dataSource.destroy();
  }
}

/** Waits until the replica has replayed everything the primary wrote; returns how long that took. */
async function replayLag(primaryUrl: string, replicaUrl: string): Promise<number> {
  const primary = new Client({ connectionString: primaryUrl });
  const replica = new Client({ connectionString: replicaUrl });
  await primary.connect();
  await replica.connect();
  try {
    const started = Date.now();
    const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn');
    await waitFor(
      'the replica to catch up',
      async () => {
        const { rows: r } = await replica.query<{ behind: boolean }>(
          'SELECT pg_last_wal_replay_lsn() < $1::pg_lsn AS behind',
          [rows[0].lsn],
        );
        return r[0].behind ? undefined : true;
      },
      120_000,
      20,
    );
    return Date.now() - started;
  } finally {
    await primary.end();
    await replica.end();
  }
}

async function tuplesReturned(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT tup_returned + tup_fetched AS n FROM pg_stat_database WHERE datname = 'recto'`,
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
