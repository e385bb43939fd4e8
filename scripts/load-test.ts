/**
 * `npm run load-test [-- --documents 300 --concurrency 50 --search-connections 8]`
 *
 * A bounded load test on loopback: the built api and worker as processes on real Postgres, Redis
 * and Meilisearch; hundreds of small real scans uploaded at once while searches run concurrently,
 * and the worker killed (SIGKILL) and started again mid-run. Checks the promises — no 5xx,
 * accepted = stored = processed — and writes the figures to docs/load-test.md and
 * bench/results/load-test.json. Run `npm run build` first.
 */
import { loadAllScans, startRectoStack } from '@recto/testing';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '50' },
    'search-connections': { type: 'string', default: '8' },
  },
});
const DOCUMENTS = Number(values.documents);
const CONCURRENCY = Number(values.concurrency);
const SEARCH_CONNECTIONS = Number(values['search-connections']);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A small, unique scan: a strip of an English test page or dev scan, with a random pixel row so its SHA-256 differs. */
async function makeScans(n: number): Promise<Buffer[]> {
  const pages = loadAllScans().filter((s) => s.language === 'en');
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const page = pages[i % pages.length];
    const top = 100 + ((i * 37) % 700);
    const strip = await sharp(readFileSync(page.imagePath))
      .extract({ left: 0, top, width: page.width, height: 120 })
      .toBuffer();
    const noise = await sharp(randomBytes(page.width * 2), { raw: { width: page.width, height: 2, channels: 1 } })
      .png()
      .toBuffer();
    out.push(
      await sharp({ create: { width: page.width, height: 124, channels: 3, background: '#fff' } })
        .composite([
          { input: strip, top: 0, left: 0 },
          { input: noise, top: 122, left: 0 },
        ])
        .png()
        .toBuffer(),
    );
  }
  return out;
}

function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const scans = await makeScans(DOCUMENTS);
  const stack = await startRectoStack('load', { THROTTLE_LIMIT: '1000000', LOG_LEVEL: 'warn', OCR_LANGUAGES: 'eng' });
  const memory = { apiMaxRss: 0, workerMaxRss: 0 };
  const sampler = setInterval(() => {
    memory.apiMaxRss = Math.max(memory.apiMaxRss, rssOf(stack.api.process.pid));
    memory.workerMaxRss = Math.max(memory.workerMaxRss, rssOf(stack.worker.process.pid));
  }, 200);
  try {
    // Searches run for the whole upload phase, on a word of most English pages.
    let searchDone!: (r: autocannon.Result) => void;
    const searchResult = new Promise<autocannon.Result>((resolve) => (searchDone = resolve));
    const searchRun = autocannon(
      { url: `${stack.client.baseUrl}/v1/search?q=date&limit=10`, connections: SEARCH_CONNECTIONS, duration: 3600 },
      (err, result) => (err ? console.error(err) : searchDone(result)),
    );
    const uploadLatencies: number[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    let restarted = false;
    const started = Date.now();
    const ids = new Set<string>();
    const uploader = async () => {
      while (next < scans.length) {
        const i = next++;
        if (!restarted && i >= scans.length / 2) {
          restarted = true;
          void stack.restartWorker('SIGKILL');
        }
        const t = performance.now();
        const res = await stack.client.upload(scans[i], `strip-${i}.png`);
        uploadLatencies.push(performance.now() - t);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 202) ids.add((res.body.document as { id: string }).id);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, uploader));
    const uploadSeconds = (Date.now() - started) / 1000;

    // Wait for the queue to drain: every accepted document leaves Processing.
    let stats: { documents: Record<string, number> } = { documents: {} };
    for (;;) {
      stats = (await stack.client.get<{ documents: Record<string, number> }>('/v1/stats')).body;
      if ((stats.documents.Processing ?? 0) === 0) break;
      if (Date.now() - started > 30 * 60_000) throw new Error(`not drained: ${JSON.stringify(stats)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const drainSeconds = (Date.now() - started) / 1000;
    searchRun.stop();
    const search = await searchResult;

    uploadLatencies.sort((a, b) => a - b);
    const result = {
      measured_at: new Date().toISOString(),
      documents: DOCUMENTS,
      upload_concurrency: CONCURRENCY,
      search_connections: SEARCH_CONNECTIONS,
      worker_killed_at_document: Math.floor(DOCUMENTS / 2),
      upload: {
        seconds: uploadSeconds,
        per_second: Math.round((DOCUMENTS / uploadSeconds) * 10) / 10,
        p50_ms: Math.round(percentile(uploadLatencies, 50)),
        p99_ms: Math.round(percentile(uploadLatencies, 99)),
        statuses: Object.fromEntries(statuses),
      },
      search: {
        requests: search.requests.total,
        per_second: Math.round(search.requests.average),
        p50_ms: search.latency.p50,
        p99_ms: search.latency.p99,
        non_2xx: search.non2xx,
        errors: search.errors,
        status_5xx: search['5xx'],
      },
      drained_after_seconds: drainSeconds,
      counts: {
        accepted: ids.size,
        stored: stats.documents.total ?? 0,
        processed: stats.documents.Processed ?? 0,
        failed: stats.documents.Failed ?? 0,
      },
      memory_mb: {
        api_max_rss: Math.round(memory.apiMaxRss / 2 ** 20),
        worker_max_rss: Math.round(memory.workerMaxRss / 2 ** 20),
      },
    };
    const promisesKept =
      !statuses.has(500) &&
      ![...statuses.keys()].some((s) => s >= 500) &&
      search['5xx'] === 0 &&
      search.errors === 0 &&
      result.counts.accepted === DOCUMENTS &&
      result.counts.stored === result.counts.accepted &&
      result.counts.processed === result.counts.accepted;
    console.log(JSON.stringify({ ...result, promises_kept: promisesKept }, null, 2));
    await mkdir('bench/results', { recursive: true });
    await writeFile(
      join('bench/results', 'load-test.json'),
      JSON.stringify({ ...result, promises_kept: promisesKept }, null, 2) + '\n',
    );
    if (!promisesKept) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
