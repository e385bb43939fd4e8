import { loadConfig, TestConfig } from '@recto/config';
import { DOCUMENTS_QUEUE, jobIdOf, JobName, redisConnectionOf } from '@recto/queue';
import { createTestDatabase, loadAllScans, useTestMeilisearch, waitFor, type DevScan } from '@recto/testing';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import { arg, flag, numberArg } from '../lib/args';
import { machineTicks, processTicks } from '../lib/cpu';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, startApi, startApp, type BenchApp } from '../lib/stack';
import { formatTable, median, round, spread } from '../lib/stats';

const POLL_MS = 100;
const UPLOAD_CLIENTS = 4;

interface Configuration {
  id: 'a' | 'b' | 'c' | 'd';
  workers: number;
  /** OCR_CONCURRENCY of each worker; null leaves it unset (the default: one per core). */
  concurrency: number | null;
}

const CONFIGURATIONS: Configuration[] = [
  { id: 'a', workers: 1, concurrency: 1 },
  { id: 'b', workers: 2, concurrency: 1 },
  { id: 'c', workers: 1, concurrency: null },
  { id: 'd', workers: 2, concurrency: null },
];

interface Run {
  configuration: Configuration['id'];
  round: number;
  /** Position in the round (the order rotates each round). */
  slot: number;
  pages: number;
  seconds: number;
  pagesPerMinute: number;
  /** OCR jobs of the measured batch each worker process logged ('OCR done'). */
  ocrJobsPerWorker: number[];
  /** Median time of one job from taken to finished (BullMQ's processedOn → finishedOn). */
  ocrJobMedianMs: number;
  indexJobMedianMs: number;
  /** Time the batch's jobs held a worker slot, over slots × the batch's time: idle slots show. */
  slotBusyShare: number;
  /** Warm-up pages each worker took (one per engine expected). */
  warmJobsPerWorker: number[];
  workerPeakRssMB: number[];
  loadAverage: number;
  /**
   * Cores busy during the batch (/proc): the worker processes, and everything else on the
   * machine (the API, Meilisearch, Postgres, and other people's work on the shared box).
   */
  workerCores: number;
  otherCores: number;
  checks: RunChecks;
}

interface RunChecks {
  documents: number;
  notProcessed: number;
  /** Documents whose `pages` rows are not exactly one per page (page_count). */
  pageRowsWrong: number;
  /** Documents with other than exactly one 'OCR done' line across the workers' logs. */
  ocrDoneNotOnce: number;
  /** Results a worker threw away because another had stored them ('already stored … ignored'). */
  resultsIgnored: number;
  /** OCR or index jobs BullMQ started more than once (attemptsStarted > 1, or stalled). */
  jobsStartedTwice: number;
  /** Jobs no longer in Redis to check (removeOnComplete keeps the last 1000 for an hour). */
  jobsMissing: number;
}

/**
 * Scale-out: pages per minute of one worker process against two consuming the same queue, with
 * the API running. Each configuration gets fresh worker processes per round, warmed on pages that
 * are not measured (one per OCR engine, uploaded at once so that each engine of each process
 * takes one), then a batch of dev pages is uploaded and timed from the first upload until every
 * document is Processed. Configurations run interleaved in rotating order, and the result is the
 * ratio of two configurations in the same round: the machine is shared.
 */
export async function scaleOutScenario(): Promise<void> {
  const rounds = numberArg('rounds', 3);
  const copies = numberArg('copies', 2);
  const limit = arg('limit');
  const machine = machineInfo();
  const cores = availableParallelism();
  if (process.env.OCR_CONCURRENCY !== undefined) {
    throw new Error('unset OCR_CONCURRENCY: configurations (c) and (d) measure its default');
  }
  const dist = benchDist(flag('rebuild'));
  const allScans = loadAllScans();
  const scans = limit ? allScans.slice(0, Number(limit)) : allScans;
  const engines = (c: Configuration) => c.workers * (c.concurrency ?? cores);
  if (Math.max(...CONFIGURATIONS.map(engines)) > allScans.length) throw new Error('not enough warm-up pages');

  // A tenant per copy of the batch and per warm-up: the same file twice in one tenant is a
  // duplicate upload, and a duplicate is not processed again.
  const tenantsPerRun = copies + 1;
  const keys = Array.from(
    { length: rounds * CONFIGURATIONS.length * tenantsPerRun },
    (_, i) => `benchkey-${randomBytes(8).toString('hex')}:t${i}`,
  );
  const config = loadConfig(TestConfig);
  const database = await createTestDatabase('bench_scaleout');
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), 'recto-bench-scaleout-'));
  const queuePrefix = `bench_${randomBytes(3).toString('hex')}`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: config.RECTO_TEST_REDIS_URL,
    MEILI_URL: meili.url,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    MEILI_INDEX: `bench_scaleout_${randomBytes(3).toString('hex')}`,
    QUEUE_PREFIX: queuePrefix,
    DATA_DIR: dataDir,
    API_KEYS: keys.join(','),
    OCR_LANGUAGES: 'eng',
  };
  const api = await startApi(dist, env);
  const queue = new Queue(DOCUMENTS_QUEUE, {
    connection: redisConnectionOf(config.RECTO_TEST_REDIS_URL),
    prefix: queuePrefix,
  });
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const bytes = new Map<string, Buffer>();
  for (const scan of allScans) bytes.set(scan.name, await readFile(scan.imagePath));
  const runs: Run[] = [];
  let workers: LoggedWorker[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const order = CONFIGURATIONS.map((_, i) => CONFIGURATIONS[(i + r) % CONFIGURATIONS.length]);
      for (const [slot, configuration] of order.entries()) {
        const index = r * CONFIGURATIONS.length + CONFIGURATIONS.indexOf(configuration);
        const tenantKeys = keys.slice(index * tenantsPerRun, (index + 1) * tenantsPerRun).map((k) => k.split(':')[0]);
        const workerEnv = configuration.concurrency
          ? { ...env, OCR_CONCURRENCY: String(configuration.concurrency) }
          : env;
        workers = Array.from({ length: configuration.workers }, () => startLoggedWorker(dist, workerEnv));
        await waitFor(
          'the workers to consume the queue',
          async () => {
            for (const w of workers) {
              if (w.app.process.exitCode !== null) throw new Error(`worker exited:\n${w.app.output.join('')}`);
            }
            return (await queue.getWorkersCount()) >= configuration.workers ? true : undefined;
          },
          90_000,
        );

        // Warm-up: as many pages at once as there are engines; a worker takes no more jobs than
        // its concurrency, so each engine of each process starts up on one of them.
        const warmScans = allScans.slice(0, engines(configuration));
        await uploadAndWait(api.baseUrl, [tenantKeys[copies]], warmScans, bytes);
        const warmJobsPerWorker = workers.map((w) => w.ocrDone().length);

        const batch = await measureBatch(api.baseUrl, tenantKeys.slice(0, copies), scans, bytes, workers);
        const { checks, jobMs } = await checkBatch(db, queue, batch.documentIds, workers);
        const measured = new Set(batch.documentIds);
        const slots = configuration.workers * (configuration.concurrency ?? cores);
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        const run: Run = {
          configuration: configuration.id,
          round: r,
          slot,
          pages: batch.documentIds.length,
          seconds: round(batch.seconds, 2),
          pagesPerMinute: round((batch.documentIds.length / batch.seconds) * 60, 2),
          ocrJobsPerWorker: workers.map((w) => w.ocrDone().filter((id) => measured.has(id)).length),
          ocrJobMedianMs: round(median(jobMs.ocr), 0),
          indexJobMedianMs: round(median(jobMs.index), 0),
          slotBusyShare: round((sum(jobMs.ocr) + sum(jobMs.index)) / (slots * batch.seconds * 1000), 2),
          warmJobsPerWorker,
          workerPeakRssMB: batch.peakRss.map((b) => round(b / 1e6, 0)),
          loadAverage: batch.loadAverage,
          workerCores: batch.workerCores,
          otherCores: batch.otherCores,
          checks,
        };
        runs.push(run);
        console.log(
          `round ${r + 1}/${rounds} (${configuration.id}) ${describe(configuration, cores)}: ` +
            `${run.pages} pages in ${run.seconds.toFixed(1)} s = ${run.pagesPerMinute.toFixed(1)} pages/min; ` +
            `OCR jobs per worker ${run.ocrJobsPerWorker.join('+')} (warm-up ${warmJobsPerWorker.join('+')}), ` +
            `jobs ${run.ocrJobMedianMs} ms OCR + ${orDash(run.indexJobMedianMs)} ms index, slots busy ` +
            `${Math.round(run.slotBusyShare * 100)}%; cores: workers ${run.workerCores}, rest ${run.otherCores}`,
        );
        await Promise.all(workers.map((w) => w.app.stop()));
        workers = [];
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.app.stop()));
    await api.app.stop();
    await db.end();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await meili.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const of = (id: Configuration['id']) => runs.filter((run) => run.configuration === id);
  const ratios = (top: Configuration['id'], bottom: Configuration['id']) =>
    of(top).map((run, i) => round(run.pagesPerMinute / of(bottom)[i].pagesPerMinute, 3));
  const perConfiguration = CONFIGURATIONS.map((c) => {
    const list = of(c.id);
    return {
      configuration: c.id,
      workers: c.workers,
      ocrConcurrency: c.concurrency ?? cores,
      ocrConcurrencyIsDefault: c.concurrency === null,
      pagesPerMinuteMedian: round(median(list.map((run) => run.pagesPerMinute)), 1),
      pagesPerMinuteRounds: list.map((run) => round(run.pagesPerMinute, 1)),
      spread: round(spread(list.map((run) => run.pagesPerMinute)), 2),
      ocrJobMedianMs: round(median(list.map((run) => run.ocrJobMedianMs)), 0),
      indexJobMedianMs: round(median(list.map((run) => run.indexJobMedianMs)), 0),
      slotBusyShare: round(median(list.map((run) => run.slotBusyShare)), 2),
      workerCoresMedian: round(median(list.map((run) => run.workerCores)), 2),
      otherCoresMedian: round(median(list.map((run) => run.otherCores)), 2),
      workerPeakRssMBMedian: round(median(list.flatMap((run) => run.workerPeakRssMB)), 0),
    };
  });
  const totals = runs.reduce(
    (sum, run) => {
      for (const [k, v] of Object.entries(run.checks)) sum[k as keyof RunChecks] += v;
      return sum;
    },
    {
      documents: 0,
      notProcessed: 0,
      pageRowsWrong: 0,
      ocrDoneNotOnce: 0,
      resultsIgnored: 0,
      jobsStartedTwice: 0,
      jobsMissing: 0,
    } as RunChecks,
  );
  const twoWorkerRuns = runs.filter((run) => run.ocrJobsPerWorker.length === 2);
  const summary = {
    perConfiguration,
    ratios: {
      twoOverOneWorkerConcurrency1: {
        median: round(median(ratios('b', 'a')), 2),
        rounds: ratios('b', 'a'),
      },
      twoOverOneWorkerDefaultConcurrency: {
        median: round(median(ratios('d', 'c')), 2),
        rounds: ratios('d', 'c'),
      },
      // The same two engines, as two processes or as one process with a pool of two.
      twoProcessesOverOneProcessTwoEngines: {
        median: round(median(ratios('b', 'c')), 2),
        rounds: ratios('b', 'c'),
      },
    },
    checks: {
      ...totals,
      twoWorkerRuns: twoWorkerRuns.length,
      twoWorkerRunsWithAnIdleWorker: twoWorkerRuns.filter((run) => run.ocrJobsPerWorker.some((n) => n === 0)).length,
      ocrJobSharesOfTwoWorkers: twoWorkerRuns.map((run) => run.ocrJobsPerWorker.join('+')),
    },
  };

  const pagesPerBatch = scans.length * copies;
  console.log(
    `\none worker vs two, ${pagesPerBatch} pages per batch (${scans.length} dev pages × ${copies}), ` +
      `${rounds} interleaved rounds, ${cores} cores`,
  );
  console.log(
    formatTable(
      [
        'configuration',
        'workers',
        'OCR_CONCURRENCY',
        'pages/min (median)',
        'rounds',
        'OCR job ms',
        'index job ms',
        'worker cores',
        'rest cores',
        'RSS/worker MB',
      ],
      perConfiguration.map((c) => [
        c.configuration,
        String(c.workers),
        `${c.ocrConcurrency}${c.ocrConcurrencyIsDefault ? ' (default)' : ''}`,
        c.pagesPerMinuteMedian,
        c.pagesPerMinuteRounds.join(', '),
        c.ocrJobMedianMs,
        orDash(c.indexJobMedianMs),
        c.workerCoresMedian,
        c.otherCoresMedian,
        c.workerPeakRssMBMedian,
      ]),
    ),
  );
  console.log('');
  console.log(
    formatTable(
      ['ratio (same rounds)', 'median', 'rounds'],
      [
        [
          '(b) / (a): two workers / one, OCR_CONCURRENCY=1',
          summary.ratios.twoOverOneWorkerConcurrency1.median,
          ratios('b', 'a')
            .map((x) => x.toFixed(2))
            .join(', '),
        ],
        [
          '(d) / (c): two workers / one, default concurrency',
          summary.ratios.twoOverOneWorkerDefaultConcurrency.median,
          ratios('d', 'c')
            .map((x) => x.toFixed(2))
            .join(', '),
        ],
        [
          '(b) / (c): 2 processes × 1 engine / 1 process × 2',
          summary.ratios.twoProcessesOverOneProcessTwoEngines.median,
          ratios('b', 'c')
            .map((x) => x.toFixed(2))
            .join(', '),
        ],
      ],
    ),
  );
  console.log('');
  console.log(
    formatTable(
      ['round', '(a)', '(b)', '(c)', '(d)', '(b)/(a)', '(d)/(c)', 'rest cores during a/b/c/d'],
      Array.from({ length: rounds }, (_, r) => {
        const run = (id: Configuration['id']) => of(id)[r];
        return [
          String(r + 1),
          run('a').pagesPerMinute,
          run('b').pagesPerMinute,
          run('c').pagesPerMinute,
          run('d').pagesPerMinute,
          ratios('b', 'a')[r],
          ratios('d', 'c')[r],
          CONFIGURATIONS.map((c) => run(c.id).otherCores.toFixed(2)).join(' / '),
        ];
      }),
    ),
  );
  console.log('');
  console.log(
    formatTable(
      ['check, all runs', 'count'],
      [
        ['documents', totals.documents],
        ['not Processed', totals.notProcessed],
        ['pages rows ≠ page_count', totals.pageRowsWrong],
        ["'OCR done' logged ≠ once", totals.ocrDoneNotOnce],
        ['OCR results ignored as already stored', totals.resultsIgnored],
        ['OCR/index jobs started more than once', totals.jobsStartedTwice],
        ['jobs no longer in Redis', totals.jobsMissing],
        ['two-worker runs with an idle worker', summary.checks.twoWorkerRunsWithAnIdleWorker],
      ].map(([label, count]) => [label, String(count)]),
    ),
  );
  const file = writeResult(
    'scaleout',
    {
      setup: {
        rounds,
        copies,
        devPages: scans.length,
        pagesPerBatch,
        cores,
        configurations: CONFIGURATIONS.map((c) => ({ ...c, concurrency: c.concurrency ?? `default (${cores})` })),
        workers: 'fresh processes per configuration and round, warmed on one page per OCR engine (not measured)',
        uploadClients: UPLOAD_CLIENTS,
        pollMs: POLL_MS,
      },
      summary,
      runs,
    },
    machine,
  );
  console.log(`written ${file}`);
}

function describe(c: Configuration, cores: number): string {
  return `${c.workers} worker${c.workers > 1 ? 's' : ''} × OCR_CONCURRENCY=${c.concurrency ?? `${cores} (default)`}`;
}

interface LoggedWorker {
  app: BenchApp;
  /** The document of every 'OCR done' line this process has logged so far. */
  ocrDone(): string[];
  /** How many OCR results it dropped because another path had stored them first. */
  ignored(): number;
}

/** A worker whose whole stdout is kept (BenchApp.output keeps only the last chunks). */
function startLoggedWorker(dist: string, env: Record<string, string>): LoggedWorker {
  const app = startApp(dist, 'worker', env);
  const chunks: string[] = [];
  app.process.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const entries = () =>
    chunks
      .join('')
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { msg?: string; documentId?: string }];
        } catch {
          return []; // not a JSON log line
        }
      });
  return {
    app,
    ocrDone: () => entries().flatMap((e) => (e.msg === 'OCR done' && e.documentId ? [e.documentId] : [])),
    ignored: () => entries().filter((e) => e.msg?.startsWith('OCR result already')).length,
  };
}

/**
 * Uploads `copies` × `scans`, one tenant per copy (UPLOAD_CLIENTS at a time), and polls
 * GET /v1/stats of each tenant until every document is Processed; timed from the first upload.
 */
async function measureBatch(
  baseUrl: string,
  keys: string[],
  scans: DevScan[],
  bytes: Map<string, Buffer>,
  workers: LoggedWorker[],
): Promise<{
  documentIds: string[];
  seconds: number;
  peakRss: number[];
  loadAverage: number;
  workerCores: number;
  otherCores: number;
}> {
  const loadAverage = round(loadavg()[0], 2);
  const pids = workers.map((w) => w.app.process.pid);
  const workerTicks = () => pids.reduce<number>((sum, pid) => sum + processTicks(pid), 0);
  const peakRss = workers.map(() => 0);
  const sample = () => workers.forEach((w, i) => (peakRss[i] = Math.max(peakRss[i], w.app.rss())));
  const timer = setInterval(sample, 250);
  try {
    const machine0 = machineTicks();
    const workers0 = workerTicks();
    const started = performance.now();
    const documentIds = await uploadAndWait(baseUrl, keys, scans, bytes);
    const seconds = (performance.now() - started) / 1000;
    const machine1 = machineTicks();
    const workers1 = workerTicks();
    sample();
    // Ticks of all CPUs together: a share of them times the number of CPUs is cores.
    const cores = (ticks: number) => round((ticks / (machine1.total - machine0.total)) * cpus().length, 2);
    return {
      documentIds,
      seconds,
      peakRss,
      loadAverage,
      workerCores: cores(workers1 - workers0),
      otherCores: cores(machine1.busy - machine0.busy - (workers1 - workers0)),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Uploads every scan once per key and waits until all of them are Processed; their ids. */
async function uploadAndWait(
  baseUrl: string,
  keys: string[],
  scans: DevScan[],
  bytes: Map<string, Buffer>,
): Promise<string[]> {
  const uploads = keys.flatMap((key) => scans.map((scan) => ({ key, scan })));
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOAD_CLIENTS }, async () => {
      while (next < uploads.length) {
        const { key, scan } = uploads[next++];
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(bytes.get(scan.name) as Buffer)]), basename(scan.imagePath));
        const res = await fetch(`${baseUrl}/v1/documents`, {
          method: 'POST',
          body: form,
          headers: { authorization: key },
        });
        const body = (await res.json()) as { document?: { id: string }; duplicate?: boolean };
        if (res.status !== 202 || !body.document)
          throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
        ids.push(body.document.id);
      }
    }),
  );
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const counts = await Promise.all(
      keys.map(async (key) => {
        const res = await fetch(`${baseUrl}/v1/stats`, { headers: { authorization: key } });
        return ((await res.json()) as { documents: { Processing: number; Processed: number; Failed: number } })
          .documents;
      }),
    );
    if (counts.some((c) => c.Failed > 0)) throw new Error(`a document failed: ${JSON.stringify(counts)}`);
    if (counts.every((c) => c.Processing === 0 && c.Processed === scans.length)) return ids;
    if (Date.now() > deadline) throw new Error(`not processed after 30 minutes: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Was any document processed twice? Its pages rows against its page count in Postgres, its
 * 'OCR done' lines across the workers' logs, and BullMQ's own count of starts of its OCR and
 * index jobs (a job taken by two workers, or given again after a stall, is started twice).
 */
async function checkBatch(
  db: Client,
  queue: Queue,
  documentIds: string[],
  workers: LoggedWorker[],
): Promise<{ checks: RunChecks; jobMs: { ocr: number[]; index: number[] } }> {
  const { rows } = await db.query<{ id: string; status: string; page_count: number | null; pages: string }>(
    `SELECT d.id, d.status, d.page_count, (SELECT count(*) FROM pages p WHERE p.document_id = d.id) AS pages
       FROM documents d WHERE d.id = ANY($1::uuid[])`,
    [documentIds],
  );
  const ocrDone = new Map<string, number>();
  for (const id of workers.flatMap((w) => w.ocrDone())) ocrDone.set(id, (ocrDone.get(id) ?? 0) + 1);
  let jobsStartedTwice = 0;
  let jobsMissing = 0;
  const jobMs = { ocr: [] as number[], index: [] as number[] };
  for (const id of documentIds) {
    for (const [name, times] of [
      [JobName.Ocr, jobMs.ocr],
      [JobName.Index, jobMs.index],
    ] as const) {
      const job = await queue.getJob(jobIdOf(name, id));
      // The OCR job indexes what it stored; an index job exists only where that failed.
      if (!job) jobsMissing += name === JobName.Ocr ? 1 : 0;
      else if (job.attemptsStarted !== 1 || job.stalledCounter > 0) jobsStartedTwice++;
      if (job?.processedOn && job.finishedOn) times.push(job.finishedOn - job.processedOn);
    }
  }
  const checks = {
    documents: documentIds.length,
    notProcessed: documentIds.length - rows.filter((row) => row.status === 'Processed').length,
    pageRowsWrong: rows.filter((row) => row.page_count === null || Number(row.pages) !== row.page_count).length,
    ocrDoneNotOnce: documentIds.filter((id) => ocrDone.get(id) !== 1).length,
    resultsIgnored: workers.reduce((sum, w) => sum + w.ignored(), 0),
    jobsStartedTwice,
    jobsMissing,
  };
  return { checks, jobMs };
}

/** A median of no values (no index job ran) is shown as '-'. */
function orDash(value: number): number | string {
  return Number.isFinite(value) ? value : '-';
}
