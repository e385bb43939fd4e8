import { startEmbeddedMeilisearch } from '@recto/embedded-services';
import { MeilisearchAdapter, type PageIndexDocument } from '@recto/search';
import {
  dataSourceOptions,
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  EventOutboxRepository,
  PageRepository,
  runMigrations,
} from '@recto/database';
import { DataSource } from 'typeorm';
import { loadConfig, TestConfig } from '@recto/config';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { arg, flag, numberArg } from '../lib/args';
import { cpuMeter } from '../lib/cpu';
import { KeepAliveClient, runClosedLoop, type LoadRound, type LoadTask } from '../lib/load';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, startApi } from '../lib/stack';
import { formatTable, median, percentile, round, spread } from '../lib/stats';
import { diskUsage } from '../lib/sizes';
import {
  buildVocabulary,
  indexPagesOf,
  queryMix,
  SyntheticCorpus,
  type BenchQuery,
  type SyntheticDocument,
} from '../lib/synthetic-corpus';

const TENANT = 'default';
const LIMIT = 20;
const CONCURRENCY = 8;
const PAGES_PER_DOCUMENT = 10;
/** Documents written at once while loading (each its own repository transaction). */
const LOAD_CONCURRENCY = 8;
/** Pages sent to Meilisearch at a time while loading. */
const MEILI_BATCH = 20_000;
/**
 * The raw engine baseline: the hits with their text and match positions, which is what a client
 * of Meilisearch asks for to show where a page matches (and what the API itself asked for until it
 * found the matches on the page text, PageMatcher).
 */
const RETRIEVED = ['id', 'document_id', 'page_number', 'content', 'printed', 'created_at'];
/** What the API asks Meilisearch for now (MeilisearchAdapter.search with matchPositions false). */
const RETRIEVED_IDS = ['id', 'document_id', 'page_number', 'created_at'];

/** `api`, `meili`, `postgres-fts`, and `api-baseline` with --baseline-dist. */
type Target = string;

/**
 * Search latency at scale: a synthetic corpus written straight into Postgres and Meilisearch,
 * then the API (with highlights) against the same queries sent to Meilisearch directly and
 * against Postgres full-text search with ts_headline, interleaved round by round.
 */
export async function searchScenario(): Promise<void> {
  const sizes = arg('pages', '10000,100000')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const rounds = numberArg('rounds', 5);
  const repeat = numberArg('repeat', 8);
  const machine = machineInfo();
  const dist = benchDist(flag('rebuild'));

  // The corpus is kept between runs (loading 100k pages takes long): --fresh starts over.
  const fresh = flag('fresh');
  const stateDir = arg('state', join(tmpdir(), 'recto-bench-search'));
  const meiliDir = join(stateDir, 'meili');
  if (fresh) await rm(stateDir, { recursive: true, force: true });
  await mkdir(meiliDir, { recursive: true });
  const meili = await startEmbeddedMeilisearch({ dataDir: meiliDir, port: 0, killStale: true });
  const indexName = 'bench_pages';
  const adapter = new MeilisearchAdapter({
    url: meili.url,
    apiKey: meili.masterKey,
    indexName,
    taskTimeoutMs: 3_600_000,
  });
  await adapter.ensureSettings();
  // --database and --state keep corpora of different sizes side by side.
  const databaseName = arg('database', 'recto_bench_search');
  const db = await benchDatabase(databaseName, fresh);
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY });
  // The API's own statement for the stage breakdown, through the same repository code.
  const dataSource = await new DataSource(
    // Bulk loading: a lost commit in a crash only costs a rerun of the bench.
    dataSourceOptions(db.url, { extra: { max: LOAD_CONCURRENCY + 1, options: '-c synchronous_commit=off' } }),
  ).initialize();
  const hitPages = new PageRepository(dataSource);
  const repositories: BenchRepositories = {
    dataSource,
    documents: new DocumentRepository(dataSource.getRepository(DocumentEntity), new EventOutboxRepository(dataSource)),
    pages: hitPages,
  };
  // --no-fts: leave Postgres full-text search out (at 1M pages a common word takes it seconds).
  const withFts = !flag('no-fts');
  const { rows: counted } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pages');
  const stored = await meiliCount(meili.url, meili.masterKey, indexName);
  if (Number(counted[0].n) !== stored) {
    throw new Error(
      `kept corpus is inconsistent (${counted[0].n} pages in Postgres, ${stored} in Meilisearch): use --fresh`,
    );
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'recto-bench-api-'));
  // --api-key: the API as deployed with keys (API_KEYS); without it, open mode (one tenant).
  const apiKey = flag('api-key') ? `bench-${randomBytes(12).toString('hex')}` : null;
  const apiEnv = {
    DATABASE_URL: db.url,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX: indexName,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `bench_${randomBytes(3).toString('hex')}`,
    // Latency is measured, not the fault handling: on a machine at a load average of 30 some
    // searches outlast the 2 s defaults and would be answered 503.
    SEARCH_TIMEOUT_MS: '30000',
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
    ...(apiKey ? { API_KEYS: `${apiKey}:${TENANT}` } : {}),
  };
  const api = await startApi(
    dist,
    apiEnv,
    // --profile-api: a V8 CPU profile of the API, written when it stops.
    flag('profile-api') ? ['--cpu-prof', `--cpu-prof-dir=${join(stateDir, 'profiles')}`] : [],
  );
  // --baseline-dist DIR: another build of the API (e.g. before a change), measured in the same
  // rounds as a fourth target, so before/after is a ratio under the same noise.
  const baselineDist = arg('baseline-dist');
  const baseline = baselineDist ? await startApi(baselineDist, apiEnv) : null;
  const apiHeaders: Record<string, string> = apiKey ? { authorization: apiKey } : {};
  const http = new KeepAliveClient();

  const vocabulary = buildVocabulary(50_000);
  const queries = queryMix(vocabulary);
  const corpus = new SyntheticCorpus({
    vocabulary,
    pagesPerDocument: PAGES_PER_DOCUMENT,
    wordsPerPage: [120, 280],
    seed: 1,
  });
  const levels: Record<string, unknown>[] = [];
  let loaded = Number(counted[0].n);

  const engineSearch = (q: string, options: object) =>
    http.send(`${meili.url}/indexes/${indexName}/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${meili.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        q,
        filter: [`tenant_id = "${TENANT}"`],
        limit: LIMIT,
        offset: 0,
        showRankingScore: true,
        ...options,
      }),
    });
  const send: Record<Target, (q: string) => Promise<void>> = {
    api: async (q) => {
      await http.send(`${api.baseUrl}/v1/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`, { headers: apiHeaders });
    },
    // --floor: what the API costs before any hit (routing, auth, validation, logging, and for
    // api-no-hits one engine round trip), measured in the same rounds.
    ...(flag('floor')
      ? {
          'api-no-hits': async () => {
            await http.send(`${api.baseUrl}/v1/search?q=qzxjvkwq&limit=${LIMIT}`, { headers: apiHeaders });
          },
          'api-health': async () => {
            await http.send(`${api.baseUrl}/health`);
          },
        }
      : {}),
    ...(baseline
      ? {
          'api-baseline': async (q: string) => {
            await http.send(`${baseline.baseUrl}/v1/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`, {
              headers: apiHeaders,
            });
          },
        }
      : {}),
    meili: async (q) => {
      await engineSearch(q, { attributesToRetrieve: RETRIEVED, showMatchesPosition: true });
    },
    // The engine's ranking alone (no text, no positions): the API's own engine request, the floor
    // under any search with hits.
    'meili-ranking': async (q) => {
      await engineSearch(q, { attributesToRetrieve: RETRIEVED_IDS });
    },
    ...(withFts
      ? {
          'postgres-fts': async (q: string) => {
            await pool.query(FTS_QUERY, [q, TENANT, LIMIT]);
          },
        }
      : {}),
  };

  try {
    for (const size of sizes) {
      const toAdd = Math.max(0, Math.ceil((size - loaded) / PAGES_PER_DOCUMENT));
      if (toAdd === 0 && loaded > size) {
        console.log(`skipping ${size} pages: the kept corpus has ${loaded} (use --fresh)`);
        continue;
      }
      console.log(
        `\n== ${size.toLocaleString('en-US')} pages: adding ${(toAdd * PAGES_PER_DOCUMENT).toLocaleString('en-US')}`,
      );
      let load: Awaited<ReturnType<typeof loadCorpus>> | { kept: true } = { kept: true };
      let ftsIndexSeconds: number | null = null;
      // Measured before the bench's own full-text column and index exist (they are not the product's).
      let footprint: Awaited<ReturnType<typeof measureFootprint>> | { kept: true } = { kept: true };
      if (toAdd > 0) {
        await pool.query('DROP INDEX IF EXISTS ix_bench_pages_tsv');
        await pool.query('ALTER TABLE pages DROP COLUMN IF EXISTS tsv');
        load = await loadCorpus(repositories, adapter, corpus, toAdd);
        loaded += toAdd * PAGES_PER_DOCUMENT;
        footprint = await measureFootprint(pool, http, meili.url, meili.masterKey, indexName, meiliDir, loaded);
        if (withFts) {
          const ftsStarted = performance.now();
          // Bench database only: the product searches through Meilisearch, not Postgres.
          await pool.query(
            `ALTER TABLE pages ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED`,
          );
          await pool.query('CREATE INDEX ix_bench_pages_tsv ON pages USING gin (tsv)');
          await pool.query('ANALYZE');
          ftsIndexSeconds = round((performance.now() - ftsStarted) / 1000, 1);
        }
        console.log(
          `postgres ${load.postgresSeconds} s, meilisearch ${load.meiliSeconds} s, tsvector+GIN ${ftsIndexSeconds} s`,
        );
        console.log('footprint', footprint);
      }

      const baselineAnswers = baseline
        ? await compareAnswers(http, api.baseUrl, baseline.baseUrl, apiHeaders, queries)
        : null;
      if (baselineAnswers) console.log('api-baseline answers', baselineAnswers);
      // Warm caches (Postgres buffers, Meilisearch mmap, the API's JIT) before measuring.
      for (const target of Object.keys(send) as Target[]) {
        await runClosedLoop(tasksFor(queries, 1, send[target]), CONCURRENCY);
      }
      const targets: Target[] = Object.keys(send);
      const perRound: Record<Target, LoadRound[]> = Object.fromEntries(targets.map((t) => [t, []]));
      // CPU ms per request of each process while a target was measured: who used the 2 cores.
      const cpuPerRound: Record<Target, Record<string, number>[]> = Object.fromEntries(targets.map((t) => [t, []]));
      for (let r = 0; r < rounds; r++) {
        // Rotate the order so that no target always runs right after the same neighbour.
        const order = targets.map((_, i) => targets[(i + r) % targets.length]);
        for (const target of order) {
          const pgRepeat = target === 'postgres-fts' ? Math.max(1, Math.round(repeat / 4)) : repeat;
          const meter = cpuMeter({
            api: api.app.process.pid ?? 0,
            ...(baseline ? { 'api-baseline': baseline.app.process.pid ?? 0 } : {}),
            meilisearch: meili.pid,
            // Only this database's backends: the server is shared with other tests and benches.
            postgres: { command: 'postgres', argsInclude: ` ${databaseName} ` },
            'load generator': 'self',
          });
          const round = await runClosedLoop(tasksFor(queries, pgRepeat, send[target]), CONCURRENCY);
          if (round.errors > 0) throw new Error(`${target}: ${round.errors} failed requests`);
          perRound[target].push(round);
          cpuPerRound[target].push(perRequest(meter.stop(), round.requests));
        }
        process.stdout.write(`round ${r + 1}/${rounds} `);
      }
      console.log();
      const stages = await stageBreakdown(hitPages, http, send, meili.url, meili.masterKey, indexName, queries);
      const summary = summarize(perRound);
      const cpu = Object.fromEntries(
        targets.map((t) => [
          t,
          Object.fromEntries(
            Object.keys(cpuPerRound[t][0]).map((name) => [name, round(median(cpuPerRound[t].map((c) => c[name])), 2)]),
          ),
        ]),
      );
      const level = {
        pages: loaded,
        load: { ...load, ftsIndexSeconds },
        footprint,
        latency: summary,
        cpuMsPerRequest: cpu,
        stages,
        baselineAnswers,
      };
      levels.push(level);
      printLevel(loaded, summary, stages, cpu);
    }
    const file = writeResult(
      'search',
      {
        setup: {
          concurrency: CONCURRENCY,
          limit: LIMIT,
          rounds,
          requestsPerRound: { api: queries.length * repeat, meili: queries.length * repeat },
          queries,
          pagesPerDocument: PAGES_PER_DOCUMENT,
          wordsPerPage: [120, 280],
          postgresFts: "to_tsvector('simple', content) stored column + GIN, ts_rank order, ts_headline on the hits",
          apiLogLevel: api.env.LOG_LEVEL ?? 'info',
          apiAuth: apiKey ? 'API_KEYS (one env key)' : 'open mode',
          baselineDist: baselineDist ?? null,
        },
        levels,
      },
      machine,
    );
    console.log(`\nwritten ${file}`);
  } finally {
    http.close();
    adapter.close();
    await api.app.stop();
    await baseline?.app.stop();
    await pool.end();
    await dataSource.destroy();
    await meili.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const FTS_QUERY = `
  WITH query AS (SELECT plainto_tsquery('simple', $1) AS q)
  SELECT hit.id, hit.document_id, hit.number,
         ts_headline('simple', hit.content, query.q, 'MaxFragments=1, MaxWords=30, MinWords=15') AS snippet
  FROM query, LATERAL (
    SELECT p.id, p.document_id, p.number, p.content
    FROM pages p JOIN documents d ON d.id = p.document_id
    WHERE d.tenant_id = $2 AND p.tsv @@ query.q
    ORDER BY ts_rank(p.tsv, query.q) DESC
    LIMIT $3
  ) hit`;

/**
 * Whether the baseline build answers the queries as this one does (status, content type and body,
 * but for `processing_time_ms`): a build compared for speed must give the same answers.
 */
async function compareAnswers(
  http: KeepAliveClient,
  apiUrl: string,
  baselineUrl: string,
  headers: Record<string, string>,
  queries: BenchQuery[],
): Promise<{ queries: number; identical: number; differing: string[]; firstDifference?: string }> {
  const answer = async (base: string, q: string) => {
    const res = await http.send(`${base}/v1/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`, { headers });
    const body = JSON.parse(res.body.toString()) as Record<string, unknown>;
    delete body.processing_time_ms;
    return JSON.stringify({ status: res.status, contentType: res.contentType, body });
  };
  const differing: string[] = [];
  let firstDifference: string | undefined;
  for (const query of queries) {
    const [a, b] = [await answer(apiUrl, query.q), await answer(baselineUrl, query.q)];
    if (a === b) continue;
    differing.push(query.q);
    if (firstDifference === undefined) {
      let at = 0;
      while (a[at] === b[at]) at++;
      firstDifference = `${query.q}: api …${a.slice(Math.max(0, at - 80), at + 80)}… baseline …${b.slice(Math.max(0, at - 80), at + 80)}…`;
    }
  }
  return { queries: queries.length, identical: queries.length - differing.length, differing, firstDifference };
}

function tasksFor(queries: BenchQuery[], repeat: number, send: (q: string) => Promise<void>): LoadTask[] {
  const tasks: LoadTask[] = [];
  for (let i = 0; i < repeat; i++) {
    for (const query of queries) tasks.push({ tag: query.kind, run: () => send(query.q) });
  }
  return tasks;
}

/**
 * Written through the repositories the API uses (DocumentRepository, PageRepository), on a
 * database built by the migrations: a schema change that the bench does not know of breaks its
 * build or its load instead of silently measuring the old layout.
 */
async function loadCorpus(
  repositories: BenchRepositories,
  adapter: MeilisearchAdapter,
  corpus: SyntheticCorpus,
  documents: number,
) {
  let indexDocs: PageIndexDocument[] = [];
  let pages = 0;
  let words = 0;
  // Meilisearch indexes batch n while Postgres takes the pages of batch n+1: the two stores load
  // side by side on the two cores, and at most two batches are held in memory (a million pages'
  // text at once would not fit a default Node heap).
  let meiliSeconds = 0;
  let flushing: Promise<void> | null = null;
  const flush = async (batch: PageIndexDocument[]) => {
    if (flushing) await flushing;
    const started = performance.now();
    flushing = adapter.upsertPages(batch).then(() => {
      meiliSeconds += (performance.now() - started) / 1000;
    });
  };
  const pgStarted = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let done = 0; done < documents; done++) {
    const doc = corpus.nextDocument();
    words += doc.pages.reduce((n, p) => n + p.words.length, 0);
    const write = storeDocument(repositories, doc).then((pageIds) => {
      indexDocs.push(...indexPagesOf(doc, TENANT, pageIds));
    });
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
    // A few documents in flight: Postgres writes some while the next ones are generated here.
    if (inFlight.size >= LOAD_CONCURRENCY) await Promise.race(inFlight);
    if (indexDocs.length >= MEILI_BATCH) {
      pages += indexDocs.length;
      const batch = indexDocs;
      indexDocs = [];
      await flush(batch);
    }
    if (done % 2000 === 0) process.stdout.write(`${done * PAGES_PER_DOCUMENT} `);
  }
  await Promise.all(inFlight);
  pages += indexDocs.length;
  await flush(indexDocs);
  const postgresDone = performance.now();
  await repositories.dataSource.query('VACUUM ANALYZE pages');
  await repositories.dataSource.query('VACUUM ANALYZE documents');
  const postgresSeconds = (postgresDone - pgStarted) / 1000;
  await flushing;
  const wallSeconds = (performance.now() - pgStarted) / 1000;
  console.log();
  return {
    documents,
    pages,
    words,
    wallSeconds: round(wallSeconds, 1),
    postgresSeconds: round(postgresSeconds, 1),
    postgresPagesPerSecond: round(pages / postgresSeconds, 0),
    meiliSeconds: round(meiliSeconds, 1),
    meiliPagesPerSecond: round(pages / meiliSeconds, 0),
  };
}

interface BenchRepositories {
  dataSource: DataSource;
  documents: DocumentRepository;
  pages: PageRepository;
}

/** One document as the pipeline leaves it: inserted, its pages and words stored, Processed. */
async function storeDocument(repositories: BenchRepositories, doc: SyntheticDocument): Promise<string[]> {
  await repositories.documents.insertOrGetDuplicate(
    Object.assign(new DocumentEntity(), {
      id: doc.id,
      tenantId: TENANT,
      filename: doc.filename,
      alias: null,
      metadata: {},
      mimeType: 'application/pdf',
      sizeBytes: 250_000,
      sha256: doc.sha256,
      storageKey: `synthetic/${doc.sha256}`,
      status: DocumentStatus.Processing,
      pageCount: null,
      ocrProvider: 'local',
      languages: null,
      error: null,
      requestId: null,
      createdAt: doc.createdAt,
    }),
  );
  const saved = await repositories.pages.replaceDocumentPages(
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
  await repositories.documents.markProcessed(doc.id);
  return saved.map((p) => p.id);
}

async function measureFootprint(
  pool: Pool,
  http: KeepAliveClient,
  meiliUrl: string,
  masterKey: string,
  indexName: string,
  meiliDir: string,
  pages: number,
) {
  const { rows } = await pool.query<{ pages: string; documents: string; database: string }>(
    `SELECT pg_total_relation_size('pages') AS pages, pg_total_relation_size('documents') AS documents,
            pg_database_size(current_database()) AS database`,
  );
  // Stats need the index idle; indexing has finished by now (upsertPages waited for its tasks).
  const stats = JSON.parse(
    (await http.send(`${meiliUrl}/stats`, { headers: { authorization: `Bearer ${masterKey}` } })).body.toString(),
  ) as { databaseSize: number; indexes: Record<string, { numberOfDocuments: number }> };
  // Pages hold their words (pages.words) and text, with TOAST and indexes.
  const pgBytes = Number(rows[0].pages);
  const meiliDirBytes = await diskUsage(meiliDir);
  return {
    postgresPagesWordsBytes: pgBytes,
    postgresDocumentsBytes: Number(rows[0].documents),
    postgresDatabaseBytes: Number(rows[0].database),
    meiliDatabaseBytes: stats.databaseSize,
    meiliDataDirBytes: meiliDirBytes,
    postgresBytesPerPage: Math.round(pgBytes / pages),
    postgresDatabaseBytesPerPage: Math.round(Number(rows[0].database) / pages),
    meiliBytesPerPage: Math.round(stats.databaseSize / pages),
    numberOfDocuments: stats.indexes[indexName]?.numberOfDocuments,
  };
}

type Sender = Record<Target, (q: string) => Promise<void>>;

/**
 * One client, one query at a time: the API end to end, Meilisearch alone, and the Postgres
 * statements the API runs after it (pages, words in the matched ranges, documents), to see which
 * stage the API's extra time goes to.
 */
async function stageBreakdown(
  hitPages: PageRepository,
  http: KeepAliveClient,
  send: Sender,
  meiliUrl: string,
  masterKey: string,
  indexName: string,
  queries: BenchQuery[],
) {
  const times: Record<string, number[]> = { api: [], meili: [], postgres: [] };
  for (let pass = 0; pass < 3; pass++) {
    for (const query of queries) {
      let t0 = performance.now();
      await send.api(query.q);
      times.api.push(performance.now() - t0);
      // The API's two steps: the engine's ranking (no text, no positions), then the hit pages.
      t0 = performance.now();
      const body = JSON.parse(
        (
          await http.send(`${meiliUrl}/indexes/${indexName}/search`, {
            method: 'POST',
            headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              q: query.q,
              filter: [`tenant_id = "${TENANT}"`],
              limit: LIMIT,
              offset: 0,
              attributesToRetrieve: RETRIEVED_IDS,
              showRankingScore: true,
            }),
          })
        ).body.toString(),
      ) as { hits: { id: string }[] };
      times.meili.push(performance.now() - t0);
      t0 = performance.now();
      await hitPages.findHitPageRows(
        TENANT,
        body.hits.map((h) => h.id),
      );
      times.postgres.push(performance.now() - t0);
    }
  }
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(median(v), 2)]));
  const p95s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(percentile(v, 95), 2)]));
  return {
    medianMs: medians,
    p95Ms: p95s,
    // SearchService: the engine's ranking, one Postgres statement for the hits' pages, text and
    // words, then the matching words found on the text (PageMatcher) and the answer built.
    apiOwnMedianMs: round(medians.api - medians.meili - medians.postgres, 2),
  };
}

function summarize(perRound: Record<Target, LoadRound[]>) {
  const pick = (target: Target, key: 'p50' | 'p95' | 'p99' | 'rps') => perRound[target].map((r) => r[key]);
  const out: Record<string, unknown> = {};
  for (const target of Object.keys(perRound) as Target[]) {
    const byKind: Record<string, number> = {};
    for (const kind of ['common', 'mid', 'rare', 'two-word']) {
      byKind[kind] = round(median(perRound[target].map((r) => median(r.byTag.get(kind) ?? []))), 2);
    }
    out[target] = {
      p50: round(median(pick(target, 'p50')), 2),
      p95: round(median(pick(target, 'p95')), 2),
      p99: round(median(pick(target, 'p99')), 2),
      rps: round(median(pick(target, 'rps')), 1),
      p50Spread: round(spread(pick(target, 'p50')), 2),
      p50ByQueryKind: byKind,
      rounds: perRound[target].map((r) => ({
        p50: round(r.p50, 2),
        p95: round(r.p95, 2),
        p99: round(r.p99, 2),
        rps: round(r.rps, 1),
        requests: r.requests,
      })),
    };
  }
  // Ratios within each round first (same moment, same noise), then their median.
  const ratio = (a: Target, b: Target, key: 'p50' | 'p95' | 'rps') =>
    round(median(perRound[a].map((r, i) => r[key] / perRound[b][i][key])), 2);
  out.ratios = {
    apiOverMeiliP50: ratio('api', 'meili', 'p50'),
    apiOverMeiliP95: ratio('api', 'meili', 'p95'),
    apiOverMeiliRps: ratio('api', 'meili', 'rps'),
    apiOverMeiliRankingP50: ratio('api', 'meili-ranking', 'p50'),
    apiOverMeiliRankingP95: ratio('api', 'meili-ranking', 'p95'),
    ...(perRound['postgres-fts']
      ? {
          postgresFtsOverApiP50: ratio('postgres-fts', 'api', 'p50'),
          postgresFtsOverApiP95: ratio('postgres-fts', 'api', 'p95'),
        }
      : {}),
    ...(perRound['api-baseline']
      ? {
          apiOverBaselineP50: ratio('api', 'api-baseline', 'p50'),
          apiOverBaselineP95: ratio('api', 'api-baseline', 'p95'),
          apiOverBaselineRps: ratio('api', 'api-baseline', 'rps'),
          baselineOverMeiliP50: ratio('api-baseline', 'meili', 'p50'),
        }
      : {}),
  };
  return out;
}

function printLevel(
  pages: number,
  summary: Record<string, unknown>,
  stages: Awaited<ReturnType<typeof stageBreakdown>>,
  cpu: Record<Target, Record<string, number>>,
) {
  type Row = {
    p50: number;
    p95: number;
    p99: number;
    rps: number;
    p50Spread: number;
    p50ByQueryKind: Record<string, number>;
  };
  const rows = Object.keys(summary)
    .filter((t) => t !== 'ratios')
    .map((t) => {
      const s = summary[t] as Row;
      return [
        t,
        s.p50,
        s.p95,
        s.p99,
        s.rps,
        `±${Math.round(s.p50Spread * 50)}%`,
        s.p50ByQueryKind.common,
        s.p50ByQueryKind.mid,
        s.p50ByQueryKind.rare,
        s.p50ByQueryKind['two-word'],
      ];
    });
  console.log(`\nsearch at ${pages.toLocaleString('en-US')} pages, ${CONCURRENCY} clients (ms; medians of rounds)`);
  console.log(
    formatTable(['target', 'p50', 'p95', 'p99', 'req/s', 'p50 noise', 'common', 'mid', 'rare', '2-word'], rows),
  );
  console.log('ratios', summary.ratios);
  console.log('one client, median ms per stage', stages.medianMs, 'api own', stages.apiOwnMedianMs);
  const processes = Object.keys(Object.values(cpu)[0] ?? {});
  console.log('\nCPU ms per request, by process, while each target was measured (medians of rounds)');
  console.log(
    formatTable(
      ['target', ...processes, 'total'],
      Object.entries(cpu).map(([target, byProcess]) => [
        target,
        ...processes.map((p) => byProcess[p]),
        round(
          processes.reduce((sum, p) => sum + byProcess[p], 0),
          2,
        ),
      ]),
    ),
  );
}

function perRequest(cpuMs: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, ms / requests]));
}

/** A database of the bench's own on the test server, created and migrated if missing. */
async function benchDatabase(name: string, fresh: boolean): Promise<{ url: string }> {
  const server = new URL(loadConfig(TestConfig).RECTO_TEST_DATABASE_URL);
  if (fresh) {
    const admin = new Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.end());
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return { url: url.toString() };
}

async function meiliCount(url: string, key: string, indexName: string): Promise<number> {
  const res = await fetch(`${url}/indexes/${indexName}/stats`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status === 404) return 0;
  return ((await res.json()) as { numberOfDocuments: number }).numberOfDocuments;
}
