import { Injectable, Logger } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { SharedConfig } from '@recto/config';
import { IiifSource, MetadataValue } from '@recto/database';
import { IngestResult, IngestService, UrlFetcher } from '@recto/documents';
import type { OcrFileInput } from '@recto/ocr-formats';
import { FileStorage } from '@recto/storage';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import {
  IiifManifestUnreachableException,
  IiifNotAManifestException,
  IiifResourceUnreachableException,
  IiifTooManyCanvasesException,
} from './iiif-import.exceptions';
import { writeAnnotationAlto } from './annotation-alto.writer';
import { readAnnotationOcr } from './annotation-ocr.reader';
import { AnnotationPagesFetcher } from './annotation-pages.fetcher';
import { readManifest, SourceCanvas, SourceManifest } from './manifest.reader';
import { writePageStack } from './page-stack.writer';

export interface IiifImportRequest {
  tenantId: string;
  manifestUrl: string;
  filename?: string | null;
  alias?: string | null;
  metadata?: Record<string, MetadataValue>;
  languages?: string[];
  idempotencyKey?: string;
}

/** Canvases fetched at once: a few, so one import neither hogs the API nor hammers the source. */
const FETCH_CONCURRENCY = 3;
/** JPEG quality of pages that came as JPEG (re-encoded once into the page stack). */
const JPEG_QUALITY = 92;
/** Annotation pages fetched per canvas (paged ones along `next`): transcriptions come in one or two. */
const ANNOTATION_PAGES_PER_CANVAS = 10;

/**
 * Imports a IIIF Presentation 2.x or 3 manifest by URL as one document: each canvas's image
 * (through its Image API service at `max`, else the painting body) becomes a page, in order, of a
 * multi-page TIFF; the OCR the canvases link (ALTO, hOCR, PAGE), or for a canvas without, the text
 * of its annotations (readAnnotationOcr), is imported when every canvas has one, else the pages
 * are OCRed. Everything is fetched through the SSRF-safe UrlFetcher, within
 * the page, pixel and byte limits of uploads. The source canvas ids are kept (`iiif_source`), so
 * Content Search answers in the source manifest's canvases.
 */
@Injectable()
export class IiifImportService {
  private readonly logger = new Logger(IiifImportService.name);

  constructor(
    private readonly config: SharedConfig,
    private readonly urls: UrlFetcher,
    private readonly storage: FileStorage,
    private readonly ingest: IngestService,
  ) {}

  async import(request: IiifImportRequest): Promise<IngestResult> {
    const manifest = await this.fetchManifest(request.manifestUrl);
    if (manifest.canvases.length > this.config.OCR_MAX_PAGES) {
      throw new IiifTooManyCanvasesException(manifest.canvases.length, this.config.OCR_MAX_PAGES);
    }
    const pages = await mapLimited(manifest.canvases, FETCH_CONCURRENCY, (c, i) => this.pageOf(c, i));
    const bytes = pages.reduce((n, p) => n + p.length, 0);
    if (bytes > this.config.MAX_UPLOAD_BYTES) {
      throw new DomainException(
        ErrorCode.PayloadTooLarge,
        `The manifest's ${pages.length} images come to ${bytes} bytes as one document; at most ` +
          `${this.config.MAX_UPLOAD_BYTES} are accepted (MAX_UPLOAD_BYTES).`,
        [{ pointer: '/iiif_manifest', detail: 'too large' }],
      );
    }
    const file = await this.storage.receive(Readable.from(writePageStack(pages)), this.config.MAX_UPLOAD_BYTES);
    const annotated = await this.annotationOcrOf(manifest, request.manifestUrl);
    const linked = manifest.canvases.filter((c, i) => c.ocr || annotated[i]).length;
    const ocr =
      linked === manifest.canvases.length
        ? await mapLimited(manifest.canvases, FETCH_CONCURRENCY, async (c, i) => annotated[i] ?? this.ocrOf(c, i))
        : null;
    if (linked > 0 && !ocr) {
      this.logger.warn(
        { manifest: request.manifestUrl, linked, canvases: manifest.canvases.length },
        'Only some canvases link OCR: every page is OCRed',
      );
    }
    const iiifSource: IiifSource = {
      manifest: request.manifestUrl,
      version: manifest.version,
      canvases: manifest.canvases.map(({ id, width, height }) => ({ id, width, height })),
    };
    const common = {
      tenantId: request.tenantId,
      filename: request.filename ?? `${manifest.label ?? 'iiif-manifest'}.tif`,
      alias: request.alias ?? manifest.label,
      metadata: request.metadata,
      languages: request.languages,
      idempotencyKey: request.idempotencyKey,
      iiifSource,
    };
    // Both entries own the file from here: committed, or discarded when refused.
    const source = { kind: 'file' as const, file };
    return ocr ? this.ingest.ingestWithOcr({ ...common, source, ocr }) : this.ingest.ingest({ ...common, source });
  }

  private async fetchManifest(url: string): Promise<SourceManifest> {
    const bytes = await this.fetchBytes(url, (detail, cause) => new IiifManifestUnreachableException(detail, cause));
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new IiifNotAManifestException('the response is not JSON.');
    }
    return readManifest(json);
  }

  /** A canvas's image as one page of the stack: orientation applied, within the pixel limit. */
  private async pageOf(canvas: SourceCanvas, index: number): Promise<Buffer> {
    const what = `The image of canvas ${index + 1} (${canvas.id})`;
    const { file } = await this.fetchFile(
      canvas.imageUrl,
      (detail, cause) => new IiifResourceUnreachableException(what, detail, cause),
    );
    try {
      const meta = await sharp(file.tempPath, { limitInputPixels: false })
        .metadata()
        .catch(() => {
          throw new DomainException(
            ErrorCode.UnreadableFile,
            `${what} (${canvas.imageUrl}) is not an image sharp reads.`,
            [{ pointer: '/iiif_manifest', detail: 'unreadable image' }],
          );
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
      return await image
        .tiff(meta.format === 'jpeg' ? { compression: 'jpeg', quality: JPEG_QUALITY } : { compression: 'deflate' })
        .toBuffer();
    } finally {
      await this.storage.discard(file);
    }
  }

  /**
   * For each canvas without linked OCR (which is preferred: it has the engine's own word boxes),
   * the words of its text annotations as an OCR file (writeAnnotationAlto), or null when it has none.
   */
  private async annotationOcrOf(manifest: SourceManifest, manifestUrl: string): Promise<(OcrFileInput | null)[]> {
    const fetcher = new AnnotationPagesFetcher(
      (url) =>
        this.fetchBytes(
          url,
          (detail, cause) => new IiifResourceUnreachableException('An annotation page', detail, cause),
        ),
      { pagesPerCanvas: ANNOTATION_PAGES_PER_CANVAS, totalBytes: this.config.MAX_UPLOAD_BYTES },
    );
    return mapLimited(manifest.canvases, FETCH_CONCURRENCY, async (canvas, index) => {
      if (canvas.ocr || canvas.annotations.length === 0) return null;
      const { pages, skipped } = await fetcher.pagesOf(canvas.annotations);
      if (skipped.length > 0) {
        this.logger.warn({ manifest: manifestUrl, canvas: canvas.id, skipped }, 'Annotation pages left unread');
      }
      const words = readAnnotationOcr(canvas, pages);
      if (words.length === 0) return null;
      const bytes = writeAnnotationAlto(canvas, words, manifest.label ?? manifestUrl);
      return { bytes, filename: `canvas-${index + 1}.annotations.xml` };
    });
  }

  private async ocrOf(canvas: SourceCanvas, index: number): Promise<OcrFileInput> {
    const link = canvas.ocr as NonNullable<SourceCanvas['ocr']>;
    const what = `The ${link.format.toUpperCase()} of canvas ${index + 1} (${canvas.id})`;
    const bytes = await this.fetchBytes(
      link.url,
      (detail, cause) => new IiifResourceUnreachableException(what, detail, cause),
    );
    return { bytes, filename: `canvas-${index + 1}.${link.format === 'hocr' ? 'html' : 'xml'}` };
  }

  private async fetchBytes(
    url: string,
    unreachable: (detail: string, cause: unknown) => DomainException,
  ): Promise<Buffer> {
    const { file } = await this.fetchFile(url, unreachable);
    try {
      return await readFile(file.tempPath);
    } finally {
      await this.storage.discard(file);
    }
  }

  /** Failures to fetch get the import's code; refusals (address policy, byte limit) keep theirs, naming the URL. */
  private async fetchFile(url: string, unreachable: (detail: string, cause: unknown) => DomainException) {
    try {
      return await this.urls.fetch(url);
    } catch (err) {
      if (!(err instanceof DomainException)) throw err;
      if (err.code === ErrorCode.UrlFetchFailed) throw unreachable(`${url}: ${err.message}`, err);
      throw new DomainException(err.code, `${url}: ${err.message}`, [
        { pointer: '/iiif_manifest', detail: err.errors[0]?.detail ?? err.code },
      ]);
    }
  }
}

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
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
