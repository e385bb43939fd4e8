import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProgressBar } from './progress-bar';
import { ApiDocument, ApiRequestError, RectoApiClient } from './recto-api.client';

/** Extensions picked up when walking a directory; files named explicitly are always sent. */
const SCAN_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.heic', '.heif', '.gif']);

export interface ImportOptions {
  concurrency: number;
  wait: boolean;
  /** Seconds to wait for processing before giving up (with --wait). */
  timeoutSeconds: number;
}

export type ImportOutcome = 'uploaded' | 'skipped' | 'failed';

export interface ImportedFile {
  path: string;
  sha256: string | null;
  outcome: ImportOutcome;
  document_id: string | null;
  /** The document's status: as uploaded, or as found after --wait. */
  status: ApiDocument['status'] | null;
  error: string | null;
  /** With --wait: the document's pages, pages read so far, and its OCR quality verdict. */
  page_count?: number | null;
  pages_done?: number | null;
  quality?: 'ok' | 'low' | null;
  quality_reason?: string | null;
}

export interface ImportReport {
  files: ImportedFile[];
  summary: {
    total: number;
    uploaded: number;
    skipped: number;
    failed: number;
    processed: number;
    processing: number;
    processing_failed: number;
    /** Processed documents flagged quality "low" (with --wait). */
    low_quality: number;
    seconds: number;
  };
}

/** Every file to import, in a stable order: directories walked recursively, hidden entries skipped. */
export async function collectFiles(inputs: string[]): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && SCAN_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.add(path);
    }
  };
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path);
    if (info.isDirectory()) await walk(path);
    else found.add(path);
  }
  return [...found];
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function withRetries<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ApiRequestError && err.transient) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/**
 * Uploads files in parallel. Resumable: each file's SHA-256 is computed locally and looked up
 * first, so a second run (after a crash, or with new files added) sends only what the server lacks.
 */
export async function importFiles(
  client: RectoApiClient,
  inputs: string[],
  options: ImportOptions,
  progress: NodeJS.WriteStream,
  quiet: boolean,
): Promise<ImportReport> {
  const started = Date.now();
  const paths = await collectFiles(inputs);
  const files: ImportedFile[] = paths.map((path) => ({
    path,
    sha256: null,
    outcome: 'failed',
    document_id: null,
    status: null,
    error: null,
  }));
  const bar = new ProgressBar(progress, 'import', files.length, !quiet && progress.isTTY === true);
  const say = (message: string) => {
    if (!quiet) bar.log(message);
  };
  let done = 0;
  const counts = { uploaded: 0, skipped: 0, failed: 0 };
  const detail = () => `${counts.uploaded} uploaded, ${counts.skipped} skipped, ${counts.failed} failed`;
  bar.update(0, detail(), true);

  await pool(files, options.concurrency, async (file) => {
    try {
      file.sha256 = await sha256Of(file.path);
      const sha = file.sha256;
      const existing = await withRetries(() => client.findBySha256(sha));
      if (existing) {
        Object.assign(file, { outcome: 'skipped', document_id: existing.id, status: existing.status });
      } else {
        const { document, duplicate } = await withRetries(() => client.upload(file.path));
        // Another run may have sent the same bytes in between: the server says so, nothing is lost.
        Object.assign(file, {
          outcome: duplicate ? 'skipped' : 'uploaded',
          document_id: document.id,
          status: document.status,
        });
      }
      if (!bar.interactive) say(`${file.outcome === 'uploaded' ? 'uploaded' : 'skipped '}  ${file.path}`);
    } catch (err) {
      file.outcome = 'failed';
      file.error = (err as Error).message;
      say(`failed    ${file.path}: ${file.error}`);
    }
    counts[file.outcome]++;
    bar.update(++done, detail());
  });
  bar.update(done, detail(), true);
  bar.finish();

  if (options.wait) await waitForProcessing(client, files, options, progress, quiet);

  const withStatus = (s: ApiDocument['status']) => files.filter((f) => f.outcome !== 'failed' && f.status === s).length;
  return {
    files,
    summary: {
      total: files.length,
      ...counts,
      processed: withStatus('Processed'),
      processing: withStatus('Processing'),
      processing_failed: withStatus('Failed'),
      low_quality: files.filter((f) => f.status === 'Processed' && f.quality === 'low').length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    },
  };
}

async function waitForProcessing(
  client: RectoApiClient,
  files: ImportedFile[],
  options: ImportOptions,
  progress: NodeJS.WriteStream,
  quiet: boolean,
): Promise<void> {
  const tracked = files.filter((f) => f.document_id);
  const bar = new ProgressBar(progress, 'processing', tracked.length, !quiet && progress.isTTY === true);
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const say = (message: string) => {
    if (!quiet) bar.log(message);
  };
  let lastPlainLine = 0;
  for (;;) {
    const pending = tracked.filter((f) => f.status === 'Processing');
    const pages = pageProgress(pending);
    bar.update(tracked.length - pending.length, `${pending.length} processing${pages ? ` · ${pages}` : ''}`, true);
    // In a pipe or a log: a line every 10 s while pages are being read, so a long PDF shows life.
    if (!bar.interactive && pages && Date.now() - lastPlainLine >= 10_000) {
      lastPlainLine = Date.now();
      say(`reading   ${pages} (${pending.length} document${pending.length > 1 ? 's' : ''} processing)`);
    }
    if (pending.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
    await pool(pending, options.concurrency, async (file) => {
      const doc = await client.document(file.document_id as string).catch(() => null);
      if (!doc) return;
      Object.assign(file, {
        status: doc.status,
        page_count: doc.page_count,
        pages_done: doc.pages_done ?? null,
        quality: doc.quality ?? null,
        quality_reason: doc.quality_reason ?? null,
      });
      if (doc.status === 'Failed') file.error = doc.error?.detail ?? doc.error?.code ?? 'processing failed';
      if (doc.status === 'Processed' && doc.quality === 'low') {
        say(`low OCR quality  ${file.path}: ${doc.quality_reason ?? 'low confidence'}`);
      }
    });
  }
  bar.finish();
}

/** "37/120 pages read" over the documents still processing whose page count is known, or ''. */
export function pageProgress(files: Pick<ImportedFile, 'page_count' | 'pages_done'>[]): string {
  const known = files.filter((f) => f.page_count);
  if (known.length === 0) return '';
  const total = known.reduce((sum, f) => sum + (f.page_count ?? 0), 0);
  const done = known.reduce((sum, f) => sum + Math.min(f.pages_done ?? 0, f.page_count ?? 0), 0);
  return `${done}/${total} pages read`;
}
