import { Injectable, Logger } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { SharedConfig } from '@recto/config';
import {
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  IiifSourceCanvas,
  OcrFileEntity,
  OcrFileRepository,
} from '@recto/database';
import { JobFailurePolicy } from '@recto/documents';
import { IMPORT_PROVIDER } from '@recto/ocr';
import { InvalidOcrFileException, readImportedPages } from '@recto/ocr-formats';
import { JobHandler, JobName, JobPayloads, JobQueue, JobStats, SkippedJobReason } from '@recto/queue';
import { FileStorage, ReceivedFile } from '@recto/storage';
import { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { writeAnnotationAlto } from './annotation-alto.writer';
import { readAnnotationOcr } from './annotation-ocr.reader';
import { AnnotationPagesFetcher } from './annotation-pages.fetcher';
import { IiifResourceUnreachableException } from './iiif-import.exceptions';
import { IiifResourceFetcher } from './iiif-resource.fetcher';
import { writePageStack } from './page-stack.writer';

/** Canvases fetched at once: a few, so one import neither hogs the worker nor hammers the source. */
const FETCH_CONCURRENCY = 3;
/** JPEG quality of pages that came as JPEG (re-encoded once into the page stack). */
const JPEG_QUALITY = 92;
/** Annotation pages fetched per canvas (paged ones along `next`): transcriptions come in one or two. */
const ANNOTATION_PAGES_PER_CANVAS = 10;

interface StackPage {
  tiff: Buffer;
  /** The page as the pipeline sees it (orientation applied): linked OCR is checked against it. */
  width: number;
  height: number;
}

interface PageOcr {
  file: ReceivedFile;
  format: string;
  /** 1-based: the page of the canvas it is the text of. */
  pageNumber: number;
}

/**
 * The worker half of a IIIF import (IiifImportService records the document): fetches each
 * canvas's image — through its Image API service at `max`, else the painting body — into one page,
 * in order, of a multi-page TIFF, and the OCR the canvases link (ALTO, hOCR, PAGE) or, for a canvas
 * without, the text of its annotations (readAnnotationOcr, written as ALTO), all through the
 * SSRF-safe UrlFetcher within the page, pixel and byte limits of uploads; attaches them to the
 * document in one transaction and queues its OCR (which imports the linked pages and recognises
 * the others). Everything comes from the document's `iiif_source`, so the reconciler can queue the
 * job again from the row; a retry after a crash fetches again and attaches once (content-addressed
 * files, `storage_key IS NULL` in the attaching UPDATE). A source that may answer later (5xx,
 * timeout, reset) is retried with backoff; a 404, a non-image or a limit fails the document with a
 * reason naming the canvas.
 */
@Injectable()
export class IiifImportJobHandler implements JobHandler<JobName.IiifImport> {
  readonly jobName = JobName.IiifImport;
  private readonly logger = new Logger(IiifImportJobHandler.name);

  constructor(
    private readonly config: SharedConfig,
    private readonly documents: DocumentRepository,
    private readonly ocrFiles: OcrFileRepository,
    private readonly storage: FileStorage,
    private readonly fetcher: IiifResourceFetcher,
    private readonly queue: JobQueue,
    private readonly failures: JobFailurePolicy,
    private readonly stats: JobStats,
  ) {}

  async handle(payload: JobPayloads[JobName.IiifImport], job: Job): Promise<void> {
    const document = await this.documents.findById(payload.documentId);
    if (!document) {
      this.logger.warn(
        { documentId: payload.documentId, jobId: job.id },
        'IIIF import job for a document that does not exist',
      );
      await this.stats.countSkipped(SkippedJobReason.DocumentMissing).catch(() => undefined);
      return;
    }
    if (document.status !== DocumentStatus.Processing) return;
    const started = Date.now();
    try {
      // Attached already: an earlier attempt died between attaching and queueing OCR.
      const attached = document.storageKey === null ? await this.attach(document) : document;
      if (!attached) return;
      await this.queue.requeue(JobName.Ocr, {
        documentId: document.id,
        provider: attached.ocrProvider,
        requestId: payload.requestId,
      });
      this.logger.log(
        { documentId: document.id, canvases: document.iiifSource?.canvases.length, ms: Date.now() - started },
        'IIIF import fetched; OCR queued',
      );
    } catch (err) {
      await this.failures.fail(document.id, err, job);
    }
  }

  /** Fetches and attaches the files: the document as attached, or null when it changed meanwhile (deleted, failed). */
  private async attach(document: DocumentEntity): Promise<DocumentEntity | null> {
    const canvases = document.iiifSource?.canvases ?? [];
    if (canvases.length === 0 || canvases.some((c) => !c.image)) {
      throw new DomainException(
        ErrorCode.IiifNotAManifest,
        'The document does not record the images of its IIIF canvases, so it cannot be imported; import the manifest again.',
      );
    }
    // Counted as the pages come in, so a manifest too large for one document stops at the page
    // that makes it so, not after every image is held in memory.
    let bytes = 0;
    const pages = await mapLimited(canvases, FETCH_CONCURRENCY, async (c, i) => {
      const page = await this.pageOf(c, i);
      bytes += page.tiff.length;
      if (bytes > this.config.MAX_UPLOAD_BYTES) {
        throw new DomainException(
          ErrorCode.PayloadTooLarge,
          `The manifest's images come to more than ${this.config.MAX_UPLOAD_BYTES} bytes as one document ` +
            `(MAX_UPLOAD_BYTES), reached at canvas ${i + 1} (${c.id}) of ${canvases.length}.`,
          [{ pointer: '/iiif_manifest', detail: 'too large' }],
        );
      }
      return page;
    });
    const pending: ReceivedFile[] = [];
    const committed: string[] = [];
    try {
      const stack = await this.storage.receive(
        Readable.from(writePageStack(pages.map((p) => p.tiff))),
        this.config.MAX_UPLOAD_BYTES,
      );
      pending.push(stack);
      const linked = canvases.flatMap((c, i) => (c.ocr ? [{ canvas: c, index: i }] : []));
      const ocr: PageOcr[] = await mapLimited(linked, FETCH_CONCURRENCY, async ({ canvas, index }) => {
        const found = await this.ocrOf(canvas, index, pages[index]);
        pending.push(found.file);
        return found;
      });
      for (const found of await this.annotationOcrOf(document, canvases, pages)) {
        pending.push(found.file);
        ocr.push(found);
      }
      ocr.sort((a, b) => a.pageNumber - b.pageNumber);
      // Text on every page: imported, no engine; on some: those pages imported, the others recognised.
      const everyPage = ocr.length === canvases.length;
      const ocrProvider = everyPage
        ? IMPORT_PROVIDER
        : document.ocrProvider === IMPORT_PROVIDER
          ? this.config.OCR_PROVIDER
          : document.ocrProvider;
      const storageKey = await this.storage.commit(stack, document.tenantId);
      committed.push(storageKey);
      const rows: Omit<OcrFileEntity, 'documentId' | 'createdAt'>[] = [];
      for (const [position, o] of ocr.entries()) {
        const key = await this.storage.commit(o.file, document.tenantId);
        committed.push(key);
        rows.push({
          id: randomUUID(),
          position,
          format: o.format,
          filename: `canvas-${o.pageNumber}.${o.format === 'hocr' ? 'html' : 'xml'}`,
          storageKey: key,
          sha256: o.file.sha256,
          sizeBytes: o.file.sizeBytes,
          pageCount: 1,
          // Every page: the files follow one another (and reprocessing with an engine reads them all);
          // some only: each is placed on its canvas's page, the others are recognised.
          pageNumber: everyPage ? null : o.pageNumber,
        });
      }
      // The annotation pages are read into OCR files now: left in iiif_source (inline ones can be
      // megabytes), every read of the document would carry them. A retry before this point still has them.
      const iiifSource = document.iiifSource && {
        ...document.iiifSource,
        canvases: document.iiifSource.canvases.map((c) => {
          const kept = { ...c };
          delete kept.annotations;
          return kept;
        }),
      };
      const attached = await this.ocrFiles.attachFiles(
        document.id,
        { storageKey, sizeBytes: stack.sizeBytes, ocrProvider, ...(iiifSource ? { iiifSource } : {}) },
        rows,
      );
      if (!attached) {
        // Content-addressed bytes may be another document's too: only unreferenced ones go.
        for (const key of new Set(committed)) {
          if (!(await this.ocrFiles.isReferenced(key))) await this.storage.remove(key);
        }
      }
      return attached ? await this.documents.findById(document.id) : null;
    } finally {
      await Promise.all(pending.map((f) => this.storage.discard(f)));
    }
  }

  /** A canvas's image as one page of the stack: orientation applied, within the pixel limit. */
  private async pageOf(canvas: IiifSourceCanvas, index: number): Promise<StackPage> {
    const what = `The image of canvas ${index + 1} (${canvas.id})`;
    const url = canvas.image as string;
    const file = await this.fetcher.file(url, unreachableAs(what));
    try {
      const meta = await sharp(file.tempPath, { limitInputPixels: false })
        .metadata()
        .catch(() => {
          throw new DomainException(ErrorCode.UnreadableFile, `${what} (${url}) is not an image sharp reads.`, [
            { pointer: '/iiif_manifest', detail: 'unreadable image' },
          ]);
        });
      const pixels = (meta.width ?? 0) * (meta.height ?? 0);
      if (pixels > this.config.OCR_MAX_PIXELS) {
        throw new DomainException(
          ErrorCode.ImageTooLarge,
          `${what} is ${meta.width}×${meta.height} pixels; at most ${this.config.OCR_MAX_PIXELS} are accepted (OCR_MAX_PIXELS).`,
          [{ pointer: '/iiif_manifest', detail: 'image too large' }],
        );
      }
      let image = sharp(file.tempPath, { limitInputPixels: this.config.OCR_MAX_PIXELS, failOn: 'error' }).rotate();
      if (meta.hasAlpha) image = image.flatten({ background: '#ffffff' });
      const { data, info } = await image
        .tiff(meta.format === 'jpeg' ? { compression: 'jpeg', quality: JPEG_QUALITY } : { compression: 'deflate' })
        .toBuffer({ resolveWithObject: true });
      return { tiff: data, width: info.width, height: info.height };
    } finally {
      await this.storage.discard(file);
    }
  }

  /** A canvas's linked OCR, checked now against its page (one page, its aspect ratio) so a bad file names its canvas. */
  private async ocrOf(canvas: IiifSourceCanvas, index: number, page: StackPage): Promise<PageOcr> {
    const link = canvas.ocr as NonNullable<IiifSourceCanvas['ocr']>;
    const what = `The ${link.format.toUpperCase()} of canvas ${index + 1} (${canvas.id})`;
    const file = await this.fetcher.file(link.url, unreachableAs(what));
    try {
      const format = checkedFormat(await readFile(file.tempPath), page, `${what} (${link.url})`);
      return { file, format, pageNumber: index + 1 };
    } catch (err) {
      await this.storage.discard(file);
      throw err;
    }
  }

  /**
   * For each canvas without linked OCR (which is preferred: it has the engine's own word boxes),
   * the words of its text annotations as an OCR file (writeAnnotationAlto); none for a canvas whose
   * annotations hold no words. Annotation pages are optional reading: one that cannot be fetched
   * or read is skipped and logged (AnnotationPagesFetcher), not fatal.
   */
  private async annotationOcrOf(
    document: DocumentEntity,
    canvases: IiifSourceCanvas[],
    pages: StackPage[],
  ): Promise<PageOcr[]> {
    const fetcher = new AnnotationPagesFetcher(
      (url) =>
        this.fetcher.bytes(
          url,
          (detail, cause, transient) =>
            new IiifResourceUnreachableException('An annotation page', detail, cause, !transient),
        ),
      { pagesPerCanvas: ANNOTATION_PAGES_PER_CANVAS, totalBytes: this.config.MAX_UPLOAD_BYTES },
    );
    const found = await mapLimited(canvases, FETCH_CONCURRENCY, async (canvas, index) => {
      if (canvas.ocr || !canvas.annotations?.length) return null;
      const { pages: read, skipped } = await fetcher.pagesOf(canvas.annotations);
      if (skipped.length > 0) {
        this.logger.warn({ documentId: document.id, canvas: canvas.id, skipped }, 'Annotation pages left unread');
      }
      const words = readAnnotationOcr(canvas, read);
      if (words.length === 0) return null;
      const bytes = writeAnnotationAlto(
        canvas,
        words,
        document.alias ?? document.iiifSource?.manifest ?? document.filename,
      );
      const format = checkedFormat(bytes, pages[index], `The text annotations of canvas ${index + 1} (${canvas.id})`);
      const file = await this.storage.receiveBuffer(bytes, this.config.MAX_UPLOAD_BYTES);
      return { file, format, pageNumber: index + 1 };
    });
    return found.filter((f): f is PageOcr => f !== null);
  }
}

/** The OCR file's format, once it is known to be one page that fits its page's image; else why not, naming it. */
function checkedFormat(bytes: Buffer, page: StackPage, what: string): string {
  try {
    return readImportedPages([{ bytes }], [page]).files[0].format;
  } catch (err) {
    if (!(err instanceof InvalidOcrFileException)) throw err;
    throw new InvalidOcrFileException(`${what}: ${err.errors[0]?.detail ?? err.message}`, '/iiif_manifest');
  }
}

const unreachableAs =
  (what: string) =>
  (detail: string, cause: unknown, transient: boolean): DomainException =>
    new IiifResourceUnreachableException(what, detail, cause, !transient);

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  // Settle every lane before the caller discards what the others fetched.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = outcomes.find((o) => o.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return results;
}
