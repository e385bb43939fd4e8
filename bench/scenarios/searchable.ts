import { createTestDatabase, loadAllScans, useTestMeilisearch } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LocalOcrAdapter } from '../../libs/ocr/src/adapters/local/local-ocr.adapter';
import { arg, flag, numberArg } from '../lib/args';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, startApi, startApp } from '../lib/stack';
import { formatTable, median, percentile, round } from '../lib/stats';

const POLL_MS = 50;

/**
 * Time to searchable: for each dev page, from the start of its upload to the moment a search finds
 * it (the engine's task that added it finished; a search afterwards confirms the hit), against the
 * pure OCR time of the same page (LocalOcrAdapter with one worker, in this process, measured right
 * before), so the difference is the pipeline's own cost: upload, queue, storage, Postgres, indexing.
 * The worker's log line of each OCR job breaks that down.
 */
export async function searchableScenario(): Promise<void> {
  const rounds = numberArg('rounds', 2);
  const limit = arg('limit');
  const machine = machineInfo();
  const dist = benchDist(flag('rebuild'));
  let scans = loadAllScans();
  if (limit) scans = scans.slice(0, Number(limit));

  // One tenant per round: the same file again in the same tenant would be a duplicate upload.
  const keys = Array.from({ length: rounds + 1 }, (_, i) => `benchkey-${randomBytes(8).toString('hex')}:round${i}`);
  const database = await createTestDatabase('bench_searchable');
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), 'recto-bench-searchable-'));
  const env = {
    DATABASE_URL: database.url,
    MEILI_URL: meili.url,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    MEILI_INDEX: `bench_searchable_${randomBytes(3).toString('hex')}`,
    QUEUE_PREFIX: `bench_${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    API_KEYS: keys.join(','),
    OCR_CONCURRENCY: '1',
    OCR_LANGUAGES: 'eng',
  };
  const engine = { url: meili.url, apiKey: meili.apiKey, index: env.MEILI_INDEX };
  const api = await startApi(dist, env);
  const worker = startApp(dist, 'worker', env);
  const ocr = new LocalOcrAdapter({ languages: ['eng'], poolSize: 1 });
  const rows: {
    page: string;
    round: number;
    ocrMs: number;
    searchableMs: number;
    word: string;
    documentId: string;
    workerOcrMs?: number;
    queuedMs?: number;
    recognizeMs?: number;
    storeAndIndexMs?: number;
    uploadedMs: number;
    storedMs?: number;
    processedMs?: number;
  }[] = [];
  try {
    // Warm both engines (wasm compile, model load) on a page that is not measured.
    await ocr.recognize({ documentId: 'warm', filePath: scans[0].imagePath, mimeType: 'image/png' });
    await uploadAndWait(
      api.baseUrl,
      keys[rounds].split(':')[0],
      await readFile(scans[0].imagePath),
      'warm.png',
      null,
      engine,
    );
    for (let r = 0; r < rounds; r++) {
      const key = keys[r].split(':')[0];
      for (const scan of scans) {
        const t0 = performance.now();
        const result = await ocr.recognize({ documentId: scan.name, filePath: scan.imagePath, mimeType: 'image/png' });
        const ocrMs = performance.now() - t0;
        // A word the engine reads on this page and nowhere else is best; the longest is a fair proxy.
        const word = longestWord(result.pages[0].words.map((w) => w.content));
        if (!word) continue;
        const bytes = await readFile(scan.imagePath);
        const timeline = await uploadAndWait(api.baseUrl, key, bytes, basename(scan.imagePath), word, engine);
        const searchableMs = timeline.ms;
        rows.push({
          page: scan.name,
          round: r,
          ocrMs,
          searchableMs,
          word,
          documentId: timeline.id,
          uploadedMs: timeline.uploadedMs,
          storedMs: timeline.storedMs,
          processedMs: timeline.processedMs,
        });
        console.log(
          `${scan.name.padEnd(36)} ocr ${ocrMs.toFixed(0).padStart(5)} ms  searchable ${searchableMs.toFixed(0).padStart(5)} ms  (${word})`,
        );
      }
    }
    // The worker logs how long its OCR job took (recognition and storing pages and words).
    const jobs = new Map<string, WorkerJobLog>();
    for (const line of worker.output.join('').split('\n')) {
      if (!line.includes('OCR done')) continue;
      try {
        const entry = JSON.parse(line) as WorkerJobLog & { documentId?: string };
        if (entry.documentId && entry.ms !== undefined) jobs.set(entry.documentId, entry);
      } catch {
        // not a JSON log line
      }
    }
    for (const row of rows) {
      const job = jobs.get(row.documentId);
      row.workerOcrMs = job?.ms;
      row.queuedMs = job?.queuedMs;
      row.recognizeMs = job?.recognizeMs;
      row.storeAndIndexMs = job?.storeAndIndexMs;
    }
  } finally {
    await ocr.close();
    await worker.stop();
    await api.app.stop();
    await meili.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const overheads = rows.map((r) => (r.searchableMs - r.ocrMs) / r.ocrMs);
  const summary = {
    pages: rows.length,
    ocrMedianMs: round(median(rows.map((r) => r.ocrMs)), 0),
    searchableMedianMs: round(median(rows.map((r) => r.searchableMs)), 0),
    overheadMedianMs: round(median(rows.map((r) => r.searchableMs - r.ocrMs)), 0),
    overheadShareMedian: round(median(overheads), 3),
    overheadShareP90: round(percentile(overheads, 90), 3),
    // Upload, queue, indexing and search visibility: what is left outside the worker's OCR job.
    outsideOcrJobMedianMs: round(
      median(rows.filter((r) => r.workerOcrMs !== undefined).map((r) => r.searchableMs - (r.workerOcrMs as number))),
      0,
    ),
    // Timeline medians: upload answered, pages stored (page_count set), indexed (Processed), searchable.
    timelineMedianMs: {
      uploaded: round(median(rows.map((r) => r.uploadedMs)), 0),
      stored: round(median(rows.flatMap((r) => (r.storedMs === undefined ? [] : [r.storedMs]))), 0),
      processed: round(median(rows.flatMap((r) => (r.processedMs === undefined ? [] : [r.processedMs]))), 0),
      searchable: round(median(rows.map((r) => r.searchableMs)), 0),
      storedToProcessed: round(
        median(rows.flatMap((r) => (r.storedMs && r.processedMs ? [r.processedMs - r.storedMs] : []))),
        0,
      ),
    },
    // The worker's own account of each OCR job (its log line): the overhead broken down.
    jobMedianMs: {
      queued: medianOf(rows, 'queuedMs'),
      recognizeOverPureOcr: round(
        median(rows.filter((r) => r.recognizeMs !== undefined).map((r) => (r.recognizeMs as number) - r.ocrMs)),
        0,
      ),
      storeAndIndex: medianOf(rows, 'storeAndIndexMs'),
    },
    workerOcrJobOverBenchOcr: round(
      median(rows.filter((r) => r.workerOcrMs !== undefined).map((r) => (r.workerOcrMs as number) / r.ocrMs)),
      2,
    ),
    pollResolutionMs: POLL_MS,
  };
  console.log(`\ntime to searchable, ${rows.length} page uploads, one at a time (worker OCR_CONCURRENCY=1)`);
  console.log(
    formatTable(
      ['measure', 'median'],
      [
        ['pure OCR (LocalOcrAdapter, 1 worker), ms', summary.ocrMedianMs],
        ['upload → first search hit, ms', summary.searchableMedianMs],
        ['pipeline overhead, ms', summary.overheadMedianMs],
        ['pipeline overhead, share of OCR', `${(summary.overheadShareMedian * 100).toFixed(1)}%`],
        ['  90th percentile of the share', `${(summary.overheadShareP90 * 100).toFixed(1)}%`],
        ['worker OCR job / pure OCR (same page)', summary.workerOcrJobOverBenchOcr],
        ['outside the OCR job (upload, queue, index), ms', summary.outsideOcrJobMedianMs],
        ['timeline: upload answered, ms', summary.timelineMedianMs.uploaded],
        ['timeline: pages stored, ms', summary.timelineMedianMs.stored],
        ['timeline: indexed (Processed), ms', summary.timelineMedianMs.processed],
        ['stored → indexed, ms', summary.timelineMedianMs.storedToProcessed],
        ['worker: waiting in the queue, ms', summary.jobMedianMs.queued],
        ['worker: recognition minus pure OCR, ms', summary.jobMedianMs.recognizeOverPureOcr],
        ['worker: storing pages and words + indexing, ms', summary.jobMedianMs.storeAndIndex],
      ],
    ),
  );
  const file = writeResult('searchable', { setup: { rounds, pollMs: POLL_MS }, summary, pages: rows }, machine);
  console.log(`written ${file}`);
}

interface WorkerJobLog {
  ms?: number;
  queuedMs?: number;
  recognizeMs?: number;
  storeAndIndexMs?: number;
}

function medianOf<K extends string>(rows: Partial<Record<K, number>>[], key: K): number {
  return round(median(rows.flatMap((r) => (r[key] === undefined ? [] : [r[key] as number]))), 0);
}

function longestWord(words: string[]): string | null {
  const clean = words.map((w) => w.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, '')).filter((w) => /^[A-Za-z]{4,}$/.test(w));
  return clean.sort((a, b) => b.length - a.length)[0] ?? null;
}

/**
 * Uploads, then waits for the document to be Processed, polling it every POLL_MS (a cheap read:
 * polling search every few ms would take CPU from the OCR being measured). The moment the page
 * became searchable is when the engine finished the task that added it: Meilisearch answers
 * searches from the committed index, so a search sent at `finishedAt` finds the page. One search
 * afterwards confirms that it does.
 */
async function uploadAndWait(
  baseUrl: string,
  key: string,
  bytes: Buffer,
  filename: string,
  word: string | null,
  engine: { url: string; apiKey?: string; index: string },
): Promise<{ ms: number; id: string; uploadedMs: number; storedMs?: number; processedMs?: number }> {
  const startedWall = Date.now();
  const started = performance.now();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(`${baseUrl}/v1/documents`, { method: 'POST', body: form, headers: { authorization: key } });
  const body = (await res.json()) as { document?: { id: string } };
  if (!body.document) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  const id = body.document.id;
  const uploadedMs = performance.now() - started;
  let storedMs: number | undefined;
  let processedMs: number | undefined;
  const deadline = Date.now() + 300_000;
  const get = async <T>(path: string) =>
    (await (await fetch(`${baseUrl}${path}`, { headers: { authorization: key } })).json()) as T;
  for (;;) {
    const doc = await get<{ document?: { status: string; page_count: number | null } }>(`/v1/documents/${id}`);
    const now = performance.now() - started;
    if (storedMs === undefined && doc.document?.page_count != null) storedMs = now;
    if (doc.document?.status === 'Failed') throw new Error(`page ${filename} failed: ${JSON.stringify(doc)}`);
    if (doc.document?.status === 'Processed') {
      processedMs = now;
      break;
    }
    if (Date.now() > deadline) throw new Error(`page ${filename} not processed after 300 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (!word) return { ms: processedMs, id, uploadedMs, storedMs, processedMs };
  const search = await get<{ hits?: unknown[] }>(`/v1/search?q=${encodeURIComponent(word)}&document_id=${id}&limit=1`);
  if (!search.hits?.length) throw new Error(`page ${filename} is Processed but "${word}" finds nothing`);
  const finishedAt = await additionFinishedAt(engine, startedWall);
  return { ms: finishedAt - startedWall, id, uploadedMs, storedMs, processedMs };
}

/** When the first document addition to the index enqueued after `since` finished (epoch ms). */
async function additionFinishedAt(engine: { url: string; apiKey?: string; index: string }, since: number) {
  const query = new URLSearchParams({
    indexUids: engine.index,
    types: 'documentAdditionOrUpdate',
    statuses: 'succeeded',
    afterEnqueuedAt: new Date(since).toISOString(),
    limit: '20',
  });
  const res = await fetch(`${engine.url}/tasks?${query}`, {
    headers: engine.apiKey ? { authorization: `Bearer ${engine.apiKey}` } : {},
  });
  const tasks = ((await res.json()) as { results?: { finishedAt: string }[] }).results ?? [];
  if (tasks.length === 0) throw new Error('no finished document addition found for the upload');
  // Newest first: the last one is the first addition after the upload.
  return Date.parse(tasks[tasks.length - 1].finishedAt);
}
