import { loadConfig, TestConfig } from '@recto/config';
import { runMigrations } from '@recto/database';
import { devScansDir, useTestMeilisearch } from '@recto/testing';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { flag, numberArg } from '../lib/args';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, rssOf, startApi } from '../lib/stack';
import { formatTable, median, round } from '../lib/stats';

const SMALL_BYTES = 200 * 1024;
/** Just under the default MAX_UPLOAD_BYTES (100 MiB); --large-mb to change. */
const LARGE_BYTES = numberArg('large-mb', 100) * 1024 * 1024 - 64 * 1024;
const BOUNDARY = '----recto-bench-boundary';

/**
 * Upload throughput: 200 KB images from 50 concurrent clients, against the floor of a bare
 * node:http server that streams the same multipart bodies to disk without parsing them (run in
 * the same rounds); and the API's resident memory while it accepts 100 MB files.
 */
export async function uploadScenario(): Promise<void> {
  const rounds = numberArg('rounds', 3);
  const perRound = numberArg('uploads', 1000);
  const concurrency = numberArg('concurrency', 50);
  const largeFiles = numberArg('large', 4);
  const machine = machineInfo();
  const dist = benchDist(flag('rebuild'));
  const server = new URL(loadConfig(TestConfig).RECTO_TEST_DATABASE_URL);
  const dbName = `recto_bench_upload_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(server.toString());
  dbUrl.pathname = `/${dbName}`;
  await runMigrations(dbUrl.toString());
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), 'recto-bench-upload-'));
  const key = `bench-${randomBytes(12).toString('hex')}`;
  // No worker: uploads queue OCR jobs that nobody takes, so only the API's work is measured.
  const api = await startApi(dist, {
    DATABASE_URL: dbUrl.toString(),
    MEILI_URL: meili.url,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    MEILI_INDEX: `bench_upload_${randomBytes(3).toString('hex')}`,
    QUEUE_PREFIX: `bench_${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    API_KEYS: `${key}:bench`,
  });
  const sink = await startSink(join(dataDir, 'sink'));
  const png = await readFile(join(devScansDir(), 'funsd_82092117.png'));
  const results: { api: Run[]; sink: Run[] } = { api: [], sink: [] };
  let memory: Awaited<ReturnType<typeof largeUploads>> | null = null;
  try {
    const targets = { api: `${api.baseUrl}/v1/documents`, sink: sink.url };
    for (let r = 0; r < rounds; r++) {
      for (const target of r % 2 === 0 ? (['api', 'sink'] as const) : (['sink', 'api'] as const)) {
        const run = await uploadMany(targets[target], key, png, perRound, concurrency);
        results[target].push(run);
        console.log(
          `round ${r + 1}/${rounds} ${target}: ${run.uploadsPerSecond.toFixed(0)} uploads/s, ${run.errors} errors`,
        );
      }
    }
    memory = await largeUploads(targets.api, key, png, largeFiles, () => rssOf(api.app.process.pid));
  } finally {
    await sink.stop();
    await api.app.stop();
    await meili.stop();
    const admin = new Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).finally(() => admin.end());
    await rm(dataDir, { recursive: true, force: true });
  }
  const med = (runs: Run[], k: keyof Run) => round(median(runs.map((x) => x[k])), 1);
  const summary = {
    api: {
      uploadsPerSecond: med(results.api, 'uploadsPerSecond'),
      mbPerSecond: med(results.api, 'mbPerSecond'),
      p50Ms: med(results.api, 'p50Ms'),
    },
    bareStreamingServer: {
      uploadsPerSecond: med(results.sink, 'uploadsPerSecond'),
      mbPerSecond: med(results.sink, 'mbPerSecond'),
      p50Ms: med(results.sink, 'p50Ms'),
    },
    apiOverBare: round(median(results.api.map((a, i) => a.uploadsPerSecond / results.sink[i].uploadsPerSecond)), 2),
    memory,
  };
  console.log(`\nuploads of 200 KB, ${concurrency} clients, ${perRound} per round (medians of ${rounds})`);
  console.log(
    formatTable(
      ['server', 'uploads/s', 'MB/s', 'p50 ms'],
      [
        ['Recto API (POST /v1/documents)', summary.api.uploadsPerSecond, summary.api.mbPerSecond, summary.api.p50Ms],
        [
          'bare node:http → disk',
          summary.bareStreamingServer.uploadsPerSecond,
          summary.bareStreamingServer.mbPerSecond,
          summary.bareStreamingServer.p50Ms,
        ],
      ],
    ),
  );
  console.log(`API / bare: ${summary.apiOverBare}×; memory during ${largeFiles} concurrent 100 MB uploads:`, memory);
  const file = writeResult(
    'upload',
    { setup: { rounds, perRound, concurrency, largeFiles }, summary, rounds: results },
    machine,
  );
  console.log(`written ${file}`);
}

interface Run {
  uploadsPerSecond: number;
  mbPerSecond: number;
  p50Ms: number;
  errors: number;
}

/** A PNG (its signature is what the API sniffs) padded after IEND to the size, unique per upload. */
function body(png: Buffer, size: number): Buffer {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const file = Buffer.concat([
    png.subarray(0, Math.min(png.length, size)),
    randomBytes(Math.max(0, size - png.length)),
  ]);
  return Buffer.concat([head, file, tail]);
}

async function uploadMany(url: string, key: string, png: Buffer, count: number, concurrency: number): Promise<Run> {
  const bodies = Array.from({ length: count }, () => body(png, SMALL_BYTES));
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const payload = bodies[next++];
        const t0 = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          body: new Uint8Array(payload),
          headers: { authorization: key, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        }).catch(() => null);
        await res?.arrayBuffer();
        if (!res || res.status >= 300) errors++;
        else latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    uploadsPerSecond: latencies.length / seconds,
    mbPerSecond: (latencies.length * SMALL_BYTES) / 1e6 / seconds,
    p50Ms: median(latencies),
    errors,
  };
}

/** RSS of the API, sampled every 50 ms, before and while `files` 100 MB uploads run at once. */
async function largeUploads(url: string, key: string, png: Buffer, files: number, rss: () => number) {
  if (global.gc) global.gc();
  await new Promise((r) => setTimeout(r, 500));
  const before = rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rss())), 50);
  const failures: string[] = [];
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: files }, async () => {
        const payload = body(png, LARGE_BYTES);
        const res = await fetch(url, {
          method: 'POST',
          body: new Uint8Array(payload),
          headers: { authorization: key, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        }).catch((error: unknown) => {
          failures.push(String((error as { cause?: unknown }).cause ?? error));
          return null;
        });
        const text = await res?.text();
        if (res && res.status >= 300) failures.push(`${res.status}: ${text?.slice(0, 200)}`);
      }),
    );
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    files,
    fileMB: round(LARGE_BYTES / 1e6, 1),
    rssBeforeMB: round(before / 1e6, 1),
    rssPeakMB: round(peak / 1e6, 1),
    rssGrowthMB: round((peak - before) / 1e6, 1),
    growthShareOfOneFile: round((peak - before) / LARGE_BYTES, 3),
    mbPerSecond: round((files * LARGE_BYTES) / 1e6 / seconds, 1),
    failures,
  };
}

/** The baseline: a bare HTTP server in its own process that streams each body to a file. */
async function startSink(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = fork(join(__dirname, '..', 'lib', 'streaming-sink.ts'), [dir], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`sink exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/upload`,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
