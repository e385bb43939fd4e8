import { ApiRequestError, type RectoClient, type Schemas, unwrap, uploadDocument } from '@recto/api-client';
import { importDigest, isOcrFile, isScan, pairSidecars, type UploadUnit } from '@recto/ocr-formats';
import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProgressBar } from './progress-bar';

export interface ImportOptions {
  concurrency: number;
  wait: boolean;
  /** Seconds to wait for processing before giving up (with --wait). */
  timeoutSeconds: number;
  /** Send each image's OCR sidecar with it (default); false: images only, Recto runs OCR. */
  sidecars?: boolean;
  /** Also send OCR files found in directories without an image, as OCR-only documents. */
  ocrOnly?: boolean;
}

export type ImportOutcome = 'uploaded' | 'skipped' | 'failed';

export interface ImportedFile {
  /** The image (or PDF); for an OCR-only document, its OCR file. */
  path: string;
  /** The OCR file sent with the image (its sidecar), or the OCR-only document's file; else null. */
  ocr: string | null;
  /** The document's sha256: of the file, or, for imported OCR, of the image's and OCR file's digests. */
  sha256: string | null;
  outcome: ImportOutcome;
  document_id: string | null;
  /** The document's status: as uploaded, or as found after --wait. */
  status: Schemas['DocumentDto']['status'] | null;
  error: string | null;
  /** With --wait: the document's pages, pages read so far, and its OCR quality verdict. */
  page_count?: number | null;
  pages_done?: number | null;
  quality?: 'ok' | 'low' | null;
  quality_reason?: string | null;
}

export interface ImportReport {
  files: ImportedFile[];
  /** OCR files found in directories that no image takes and that were not sent (see --ocr-only). */
  unpaired_ocr: string[];
  summary: {
    total: number;
    uploaded: number;
    skipped: number;
    failed: number;
    /** Documents sent with imported OCR (image + sidecar, or OCR only). */
    with_ocr: number;
    unpaired_ocr: number;
    processed: number;
    processing: number;
    processing_failed: number;
    /** Processed documents flagged quality "low" (with --wait). */
    low_quality: number;
    seconds: number;
  };
}

/** Files under a directory, recursively and in a stable order, hidden entries skipped. */
async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if (entry.isFile()) found.push(path);
  }
}

/**
 * What to upload: directories walked recursively for scans (and, with sidecars, OCR files); files
 * named explicitly are always sent. Each image is paired with its sidecar by `pairSidecars`,
 * looked for beside it (also beside an image named explicitly). An OCR file named explicitly that
 * no image takes is an OCR-only document; one found in a directory only with `ocrOnly`.
 */
export async function collectUploads(
  inputs: string[],
  options: { sidecars?: boolean; ocrOnly?: boolean } = {},
): Promise<{ units: UploadUnit[]; unpaired: string[] }> {
  const sidecars = options.sidecars !== false;
  const images = new Set<string>();
  const walkedOcr = new Set<string>();
  const namedOcr = new Set<string>();
  const besideNamed = new Set<string>();
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path);
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(path, found);
      for (const file of found) {
        if (isScan(file)) images.add(file);
        else if (sidecars && isOcrFile(file)) walkedOcr.add(file);
      }
    } else if (sidecars && isOcrFile(path)) {
      namedOcr.add(path);
    } else {
      images.add(path);
      if (sidecars) besideNamed.add(dirname(path));
    }
  }
  for (const dir of besideNamed) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isFile() && !entry.name.startsWith('.') && isOcrFile(path) && !namedOcr.has(path)) walkedOcr.add(path);
    }
  }
  const { units, unpaired } = pairSidecars([...images], [...walkedOcr, ...namedOcr]);
  const alone = unpaired.filter((p) => namedOcr.has(p) || options.ocrOnly);
  const all = [...units, ...alone.map((ocr) => ({ image: null, ocr: [ocr] }))];
  const key = (u: UploadUnit) => u.image ?? u.ocr[0];
  return {
    units: all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
    unpaired: unpaired.filter((p) => !alone.includes(p)).sort(),
  };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * The sha256 the server gives the document, computed locally to skip what it already has: the
 * file's own, or for imported OCR the server's digest of the image's and OCR file's sha256s.
 */
async function documentSha256(file: ImportedFile): Promise<string> {
  if (!file.ocr) return sha256Of(file.path);
  const image = file.ocr === file.path ? null : await sha256Of(file.path);
  return importDigest(image, [await sha256Of(file.ocr)]);
}

/** `scan.tif + scan.xml`, or the one file. */
function describe(file: ImportedFile): string {
  if (!file.ocr || file.ocr === file.path) return file.path;
  return `${file.path} + ${file.ocr.slice(dirname(file.ocr).length + 1)}`;
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
  client: RectoClient,
  inputs: string[],
  options: ImportOptions,
  progress: NodeJS.WriteStream,
  quiet: boolean,
): Promise<ImportReport> {
  const started = Date.now();
  const { units, unpaired } = await collectUploads(inputs, options);
  const files: ImportedFile[] = units.map((unit) => ({
    path: unit.image ?? unit.ocr[0],
    ocr: unit.ocr.length === 1 ? unit.ocr[0] : null,
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

  const ambiguous = new Map(units.map((u, i) => [files[i], u.ocr.length > 1 ? u.ocr : null]));
  await pool(files, options.concurrency, async (file) => {
    try {
      const candidates = ambiguous.get(file);
      if (candidates) {
        throw new Error(
          `several OCR files could be its sidecar (${candidates.map((c) => c.slice(dirname(c).length + 1)).join(', ')}): keep one, or import with --no-sidecars`,
        );
      }
      file.sha256 = await documentSha256(file);
      const sha = file.sha256;
      const existing = await withRetries(async () => {
        const { documents } = await unwrap(
          client.GET('/v1/documents', { params: { query: { sha256: sha, limit: 1 } } }),
        );
        return documents[0] ?? null;
      });
      if (existing) {
        Object.assign(file, { outcome: 'skipped', document_id: existing.id, status: existing.status });
      } else {
        const image = file.ocr === file.path ? null : file.path;
        const { document, duplicate } = await withRetries(() => upload(client, image, file.ocr));
        // Another run may have sent the same bytes in between: the server says so, nothing is lost.
        Object.assign(file, {
          outcome: duplicate === true ? 'skipped' : 'uploaded',
          document_id: document.id,
          status: document.status,
        });
      }
      if (!bar.interactive) say(`${file.outcome === 'uploaded' ? 'uploaded' : 'skipped '}  ${describe(file)}`);
    } catch (err) {
      file.outcome = 'failed';
      file.error = (err as Error).message;
      say(`failed    ${describe(file)}: ${file.error}`);
    }
    counts[file.outcome]++;
    bar.update(++done, detail());
  });
  bar.update(done, detail(), true);
  bar.finish();

  if (options.wait) await waitForProcessing(client, files, options, progress, quiet);

  const withStatus = (s: Schemas['DocumentDto']['status']) =>
    files.filter((f) => f.outcome !== 'failed' && f.status === s).length;
  return {
    files,
    unpaired_ocr: unpaired,
    summary: {
      total: files.length,
      ...counts,
      with_ocr: files.filter((f) => f.ocr).length,
      unpaired_ocr: unpaired.length,
      processed: withStatus('Processed'),
      processing: withStatus('Processing'),
      processing_failed: withStatus('Failed'),
      low_quality: files.filter((f) => f.status === 'Processed' && f.quality === 'low').length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    },
  };
}

async function waitForProcessing(
  client: RectoClient,
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
      const id = file.document_id as string;
      const doc = await unwrap(client.GET('/v1/documents/{id}', { params: { path: { id } } })).then(
        (body) => body.document,
        () => null,
      );
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

/** An image (or PDF) with its OCR file when given; an OCR file alone is an OCR-only document. */
async function upload(client: RectoClient, image: string | null, ocr: string | null) {
  // File-backed Blobs: the body streams from disk instead of being read into memory first.
  const file = image ? await openAsBlob(image) : undefined;
  const parts = ocr ? [{ name: 'ocr', file: await openAsBlob(ocr), filename: basename(ocr) }] : [];
  return unwrap(uploadDocument(client, { file, filename: image ? basename(image) : undefined, parts }));
}
