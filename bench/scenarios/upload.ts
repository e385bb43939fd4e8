import { createTestDatabase, testPage, useTestMeilisearch } from '@recto/testing';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { flag, numberArg } from '../lib/args';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, rssOf, startApi } from '../lib/stack';
import { formatTable, median, round } from '../lib/stats';

const SMALL_BYTES = 200 * 1024;
const LARGE_MB = numberArg('large-mb', 100);
/** Just under the default MAX_UPLOAD_BYTES (100 MiB); --large-mb to change (the limit follows). */
const LARGE_BYTES = LARGE_MB * 1024 * 1024 - 64 * 1024;
const BOUNDARY = '----recto-bench-boundary';
/** How often the resident set size is read from /proc while large files go in. */
const RSS_SAMPLE_MS = 50;
/** Idle time sampled before and after each round of large uploads. */
const RSS_IDLE_MS = 1000;

/**
 * Upload throughput: 200 KB images from 50 concurrent clients, against the floor of a bare
 * node:http server that streams the same multipart bodies to disk without parsing them (run in
 * the same rounds); then the resident memory of both while each accepts `--large` concurrent
 * 100 MB files (`--large-rounds` rounds, interleaved).
 */
export async function uploadScenario(): Promise<void> {
  const rounds = numberArg('rounds', 3);
  const perRound = numberArg('uploads', 1000);
  const concurrency = numberArg('concurrency', 50);
  const largeFiles = numberArg('large', 4);
  const largeRounds = numberArg('large-rounds', 3);
  const machine = machineInfo();
  const dist = benchDist(flag('rebuild'));
  const database = await createTestDatabase('bench_upload');
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), 'recto-bench-upload-'));
  const key = `bench-${randomBytes(12).toString('hex')}`;
  // No worker: uploads queue OCR jobs that nobody takes, so only the API's work is measured.
  const api = await startApi(dist, {
    DATABASE_URL: database.url,
    MEILI_URL: meili.url,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    MEILI_INDEX: `bench_upload_${randomBytes(3).toString('hex')}`,
    QUEUE_PREFIX: `bench_${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    API_KEYS: `${key}:bench`,
    // Measure acceptance, never the limit: at least the default (100 MiB), more for --large-mb > 100.
    MAX_UPLOAD_BYTES: String(Math.max(100, LARGE_MB) * 1024 * 1024),
  });
  const sink = await startSink(join(dataDir, 'sink'));
  const png = await readFile(testPage('synthetic_invoice').imagePath);
  const results: { api: Run[]; sink: Run[] } = { api: [], sink: [] };
  const large: { api: LargeRun[]; sink: LargeRun[] } = { api: [], sink: [] };
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
    // One random block shared by every large file (each still gets unique bytes up front), so
    // the client spends its CPU sending, not generating 400 MB of randomness per round.
    const noise = randomBytes(4 * 1024 * 1024);
    const rss = { api: () => rssOf(api.app.process.pid), sink: () => rssOf(sink.pid) };
    for (let r = 0; r < largeRounds; r++) {
      for (const target of r % 2 === 0 ? (['api', 'sink'] as const) : (['sink', 'api'] as const)) {
        const run = await largeUploads(targets[target], key, png, noise, largeFiles, rss[target]);
        large[target].push(run);
        console.log(
          `large round ${r + 1}/${largeRounds} ${target}: ${largeFiles} × ${round(LARGE_BYTES / 1e6, 1)} MB, ` +
            `${run.mbPerSecond} MB/s, RSS ${run.rssBeforeMB} → peak ${run.rssPeakMB} → ${run.rssAfterMB} MB` +
            (run.failures.length > 0 ? `, failures: ${run.failures.join('; ')}` : ''),
        );
      }
    }
  } finally {
    await sink.stop();
    await api.app.stop();
    await meili.stop();
    await database.drop();
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
    large: {
      files: largeFiles,
      fileMB: round(LARGE_BYTES / 1e6, 1),
      rounds: largeRounds,
      api: largeSummary(large.api),
      bareStreamingServer: largeSummary(large.sink),
      apiOverBareMBPerSecond: round(median(large.api.map((a, i) => a.mbPerSecond / large.sink[i].mbPerSecond)), 2),
    },
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
  console.log(`API / bare: ${summary.apiOverBare}×`);
  const { api: la, bareStreamingServer: lb } = summary.large;
  console.log(
    `\n${largeFiles} concurrent uploads of ${summary.large.fileMB} MB, ${largeRounds} rounds ` +
      `(MB/s: median; RSS: before the first round, highest peak, after the last; growth: largest peak - before)`,
  );
  console.log(
    formatTable(
      ['server', 'MB/s', 'RSS before MB', 'peak MB', 'after MB', 'peak growth MB', 'failed'],
      [
        ['Recto API', la.mbPerSecond, la.rssBeforeMB, la.rssPeakMB, la.rssAfterMB, la.peakGrowthMB, la.failed],
        [
          'bare node:http → disk',
          lb.mbPerSecond,
          lb.rssBeforeMB,
          lb.rssPeakMB,
          lb.rssAfterMB,
          lb.peakGrowthMB,
          lb.failed,
        ],
      ],
    ),
  );
  console.log(`API / bare (MB/s): ${summary.large.apiOverBareMBPerSecond}×`);
  const file = writeResult(
    'upload',
    {
      setup: { rounds, perRound, concurrency, largeFiles, largeRounds, rssSampleMs: RSS_SAMPLE_MS },
      summary,
      rounds: results,
      largeRounds: large,
    },
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

interface LargeRun {
  seconds: number;
  mbPerSecond: number;
  /** Median while idle before the uploads, highest while they run, median while idle after. */
  rssBeforeMB: number;
  rssPeakMB: number;
  rssAfterMB: number;
  samples: number;
  /** Status code of each upload (0: no response), in start order. */
  statuses: number[];
  failures: string[];
}

/**
 * `files` uploads of LARGE_BYTES at once, each streamed from shared buffers on its own
 * connection, with the server's RSS read every RSS_SAMPLE_MS before, during and after.
 */
async function largeUploads(
  url: string,
  key: string,
  png: Buffer,
  noise: Buffer,
  files: number,
  rss: () => number,
): Promise<LargeRun> {
  const samples: Record<'before' | 'during' | 'after', number[]> = { before: [], during: [], after: [] };
  let phase: keyof typeof samples = 'before';
  const timer = setInterval(() => samples[phase].push(rss()), RSS_SAMPLE_MS);
  const idle = () => new Promise((r) => setTimeout(r, RSS_IDLE_MS));
  let answers: Answer[];
  let seconds: number;
  try {
    await idle();
    phase = 'during';
    samples.during.push(rss());
    const started = performance.now();
    answers = await Promise.all(Array.from({ length: files }, () => postLarge(url, key, png, noise)));
    seconds = (performance.now() - started) / 1000;
    samples.during.push(rss());
    phase = 'after';
    await idle();
  } finally {
    clearInterval(timer);
  }
  const mb = (bytes: number) => round(bytes / 1e6, 1);
  const ok = answers.filter((a) => a.status >= 200 && a.status < 300 && !a.error).length;
  return {
    seconds: round(seconds, 2),
    mbPerSecond: round((ok * LARGE_BYTES) / 1e6 / seconds, 1),
    rssBeforeMB: mb(median(samples.before)),
    rssPeakMB: mb(Math.max(...samples.during)),
    rssAfterMB: mb(median(samples.after)),
    samples: samples.before.length + samples.during.length + samples.after.length,
    statuses: answers.map((a) => a.status),
    failures: answers
      .filter((a) => a.status < 200 || a.status >= 300 || a.error)
      .map((a) => `${a.status || 'no response'}${a.error ? ` (${a.error})` : ''}: ${a.body.slice(0, 200)}`),
  };
}

function largeSummary(runs: LargeRun[]) {
  const growth = Math.max(...runs.map((r) => r.rssPeakMB - r.rssBeforeMB));
  return {
    mbPerSecond: round(median(runs.map((r) => r.mbPerSecond)), 1),
    uploadsPerSecond: round(median(runs.map((r) => r.statuses.length / r.seconds)), 2),
    rssBeforeMB: runs[0].rssBeforeMB,
    rssPeakMB: Math.max(...runs.map((r) => r.rssPeakMB)),
    rssAfterMB: runs[runs.length - 1].rssAfterMB,
    peakGrowthMB: round(growth, 1),
    peakGrowthShareOfOneFile: round((growth * 1e6) / LARGE_BYTES, 3),
    failed: `${runs.reduce((n, r) => n + r.failures.length, 0)}/${runs.reduce((n, r) => n + r.statuses.length, 0)}`,
  };
}

interface Answer {
  status: number;
  body: string;
  error?: string;
}

/**
 * One multipart upload of LARGE_BYTES: the PNG signature (what the API sniffs), 64 KB unique to
 * this upload, then the shared noise. A new connection each (no idle keep-alive socket the
 * server may have closed), and the server's answer is kept even when writing the body fails.
 */
function postLarge(url: string, key: string, png: Buffer, noise: Buffer): Promise<Answer> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const start = Buffer.concat([png, randomBytes(64 * 1024)]).subarray(0, LARGE_BYTES);
  function* parts(): Generator<Buffer> {
    yield head;
    yield start;
    for (let left = LARGE_BYTES - start.length; left > 0; left -= noise.length) {
      yield noise.subarray(0, Math.min(left, noise.length));
    }
    yield tail;
  }
  const answer: Answer = { status: 0, body: '' };
  const req = request(url, {
    method: 'POST',
    agent: false,
    headers: {
      authorization: key,
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'content-length': String(head.length + LARGE_BYTES + tail.length),
    },
  });
  const answered = new Promise<void>((done) => {
    req.on('response', (res) => {
      answer.status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (answer.body += chunk));
      res.on('close', done);
    });
    // Without a response, the connection's end is the end.
    req.on('close', () => setImmediate(() => answer.status === 0 && done()));
  });
  const sent = pipeline(Readable.from(parts()), req).catch((error: unknown) => {
    answer.error = String((error as { code?: string }).code ?? error);
  });
  return Promise.all([sent, answered]).then(() => answer);
}

/** The baseline: a bare HTTP server in its own process that streams each body to a file. */
async function startSink(dir: string): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
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
    pid: child.pid,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
