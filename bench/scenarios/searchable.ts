import { loadConfig, TestConfig } from '@recto/config';
import { loadDevScans, useTestMeilisearch } from '@recto/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import { LocalOcrAdapter } from '../../libs/ocr/src/adapters/local/local-ocr.adapter';
import { runMigrations } from '@recto/database';
import { arg, flag, numberArg } from '../lib/args';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist, startApi, startApp } from '../lib/stack';
import { formatTable, median, percentile, round } from '../lib/stats';

const POLL_MS = 20;

/**
 * Time to searchable: for each dev page, from the start of its upload to the first search answer
 * that has it, against the pure OCR time of the same page (LocalOcrAdapter with one worker, in
 * this process, measured right before), so the difference is the pipeline's own cost: upload,
 * queue, storage, Postgres, indexing, and the polling resolution (POLL_MS).
 */
export async function searchableScenario(): Promise<void> {
  const rounds = numberArg('rounds', 2);
  const limit = arg('limit');
  const machine = machineInfo();
  const dist = benchDist(flag('rebuild'));
  let scans = loadDevScans();
  if (limit) scans = scans.slice(0, Number(limit));

  // One tenant per round: the same file again in the same tenant would be a duplicate upload.
  const keys = Array.from({ length: rounds + 1 }, (_, i) => `benchkey-${randomBytes(8).toString('hex')}:round${i}`);
  const server = new URL(loadConfig(TestConfig).RECTO_TEST_DATABASE_URL);
  const dbName = `recto_bench_searchable_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(server.toString());
  dbUrl.pathname = `/${dbName}`;
  await runMigrations(dbUrl.toString());
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), 'recto-bench-searchable-'));
  const env = {
    DATABASE_URL: dbUrl.toString(),
    MEILI_URL: meili.url,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    MEILI_INDEX: `bench_searchable_${randomBytes(3).toString('hex')}`,
    QUEUE_PREFIX: `bench_${randomBytes(3).toString('hex')}`,
    DATA_DIR: dataDir,
    API_KEYS: keys.join(','),
    OCR_CONCURRENCY: '1',
    OCR_LANGUAGES: 'eng',
  };
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
    uploadedMs: number;
    storedMs?: number;
    processedMs?: number;
  }[] = [];
  try {
    // Warm both engines (wasm compile, model load) on a page that is not measured.
    await ocr.recognize({ documentId: 'warm', filePath: scans[0].imagePath, mimeType: 'image/png' });
    await uploadAndWait(api.baseUrl, keys[rounds].split(':')[0], await readFile(scans[0].imagePath), 'warm.png', null);
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
        const timeline = await uploadAndWait(api.baseUrl, key, bytes, basename(scan.imagePath), word);
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
    const jobMs = new Map<string, number>();
    for (const line of worker.output.join('').split('\n')) {
      if (!line.includes('OCR done')) continue;
      try {
        const entry = JSON.parse(line) as { documentId?: string; ms?: number };
        if (entry.documentId && entry.ms !== undefined) jobMs.set(entry.documentId, entry.ms);
      } catch {
        // not a JSON log line
      }
    }
    for (const row of rows) row.workerOcrMs = jobMs.get(row.documentId);
  } finally {
    await ocr.close();
    await worker.stop();
    await api.app.stop();
    await meili.stop();
    const admin = new Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).finally(() => admin.end());
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
      ],
    ),
  );
  const file = writeResult('searchable', { setup: { rounds, pollMs: POLL_MS }, summary, pages: rows }, machine);
  console.log(`written ${file}`);
}

function longestWord(words: string[]): string | null {
  const clean = words.map((w) => w.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, '')).filter((w) => /^[A-Za-z]{4,}$/.test(w));
  return clean.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** Uploads, then polls search (or the document, without a word) until the page answers; ms. */
async function uploadAndWait(
  baseUrl: string,
  key: string,
  bytes: Buffer,
  filename: string,
  word: string | null,
): Promise<{ ms: number; id: string; uploadedMs: number; storedMs?: number; processedMs?: number }> {
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
    // The document too, to see when its pages were stored (page_count) and when it was indexed.
    const [doc, search] = await Promise.all([
      get<{ document?: { status: string; page_count: number | null } }>(`/v1/documents/${id}`),
      word ? get<{ hits?: unknown[] }>(`/v1/search?q=${encodeURIComponent(word)}&document_id=${id}&limit=1`) : null,
    ]);
    const now = performance.now() - started;
    if (storedMs === undefined && doc.document?.page_count != null) storedMs = now;
    if (processedMs === undefined && doc.document?.status !== 'Processing') processedMs = now;
    if (word ? (search?.hits?.length ?? 0) > 0 : processedMs !== undefined) break;
    if (Date.now() > deadline) throw new Error(`page ${filename} not searchable after 300 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return { ms: performance.now() - started, id, uploadedMs, storedMs, processedMs };
}
