import { Injectable, Logger } from '@nestjs/common';
import { DomainException, ErrorCode, RequestContext } from '@recto/common';
import { SharedConfig } from '@recto/config';
import {
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  IdempotencyKeyRepository,
  IiifSource,
  MetadataValue,
  OcrFileRepository,
} from '@recto/database';
import { IMPORT_PROVIDER, readPageSizes } from '@recto/ocr';
import { importDigest, InvalidOcrFileException, readImportedPages, type OcrFileInput } from '@recto/ocr-formats';
import { JobName, JobQueue } from '@recto/queue';
import { FileStorage, ReceivedFile } from '@recto/storage';
import { randomUUID } from 'node:crypto';
import {
  DocumentNotFoundException,
  EmptyFileException,
  IdempotencyKeyReusedException,
  UnsupportedFileTypeException,
} from './document.exceptions';
import { FingerprintedRequest, requestFingerprint } from './request-fingerprint';
import { sniffMimeType, SupportedMimeType } from './mime-sniffer';
import { sanitizeFilename } from './sanitize-filename';
import { UrlFetcher } from './url/url-fetcher';

/** Where the bytes come from: already streamed to disk (multipart), or inline base64. */
export type IngestSource =
  { kind: 'file'; file: ReceivedFile } | { kind: 'base64'; data: string } | { kind: 'url'; url: string };

export interface IngestRequest {
  tenantId: string;
  source: IngestSource;
  filename?: string | null;
  alias?: string | null;
  metadata?: Record<string, MetadataValue>;
  languages?: string[];
  idempotencyKey?: string;
  /** Set by the IIIF manifest import: the source manifest and canvases the pages come from. */
  iiifSource?: IiifSource;
}

/** A document uploaded with its OCR: files in page order, and its image(s) or none (OCR-only). */
export interface ImportRequest extends Omit<IngestRequest, 'source'> {
  source: IngestSource | null;
  ocr: OcrFileInput[];
}

/**
 * A document whose file a worker job makes (a IIIF import): recorded now, Processing and without a
 * file, and its job queued. `describe` reads the source (a manifest: small) and is not called for
 * a retried request, which is answered from its Idempotency-Key without fetching anything.
 */
export interface DeferredIngestRequest extends Omit<IngestRequest, 'source' | 'iiifSource'> {
  /** The manifest's URL: what the Idempotency-Key fingerprint takes as the request's content. */
  iiifManifest: string;
  describe: () => Promise<DeferredDocument>;
}

export interface DeferredDocument {
  /** Identifies the content (the `sha256` column): the same again is the same document. */
  sha256: string;
  mimeType: SupportedMimeType;
  /** Used unless the request names one. */
  filename: string;
  alias: string | null;
  ocrProvider: string;
  iiifSource: IiifSource;
}

export interface IngestResult {
  document: DocumentEntity;
  /** False when the tenant already had these bytes (or the request was a retry). */
  created: boolean;
}

const EXTENSIONS: Record<SupportedMimeType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tiff',
  'image/webp': 'webp',
  'image/heic': 'heic',
};

@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly config: SharedConfig,
    private readonly documents: DocumentRepository,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly storage: FileStorage,
    private readonly queue: JobQueue,
    private readonly urls: UrlFetcher,
    private readonly ocrFiles: OcrFileRepository,
  ) {}

  async ingest(request: IngestRequest): Promise<IngestResult> {
    // URLs are fingerprinted by the URL, so a retry is answered without fetching it again.
    if (request.source.kind === 'url') {
      const replayed = await this.replay(request, { url: request.source.url });
      if (replayed) return replayed;
    }
    const { file, filename } = await this.receive(request.source);
    let committed = false;
    try {
      if (request.source.kind !== 'url') {
        const replayed = await this.replay(request, { sha256: file.sha256 }, filename);
        if (replayed) return replayed;
      }
      if (file.sizeBytes === 0) throw new EmptyFileException();
      const mimeType = sniffMimeType(file.head);
      if (!mimeType) throw new UnsupportedFileTypeException();

      const id = randomUUID();
      // The row first, the file after: an upload Postgres could not record (down, frozen) leaves
      // only its temporary file, which is removed below, never an original nobody refers to.
      const storageKey = this.storage.keyOf(request.tenantId, file.sha256);
      const candidate = Object.assign(new DocumentEntity(), {
        id,
        tenantId: request.tenantId,
        filename: sanitizeFilename(request.filename ?? filename, `document.${EXTENSIONS[mimeType]}`),
        alias: request.alias ?? null,
        metadata: request.metadata ?? {},
        mimeType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        storageKey,
        status: DocumentStatus.Processing,
        pageCount: null,
        ocrProvider: this.config.OCR_PROVIDER,
        languages: request.languages?.length ? request.languages : null,
        error: null,
        requestId: RequestContext.requestId() ?? null,
        completedAt: null,
        indexedAt: null,
        iiifSource: request.iiifSource ?? null,
      });
      const { document, created } = await this.documents.insertOrGetDuplicate(candidate);
      if (created) {
        try {
          await this.storage.commit(file, request.tenantId);
          committed = true;
        } catch (err) {
          await this.documents.delete(document.id).catch(() => undefined);
          throw err;
        }
        await this.enqueueOcr(document);
      }
      const content = request.source.kind === 'url' ? { url: request.source.url } : { sha256: file.sha256 };
      return await this.remember(request, { document, created }, content, filename);
    } finally {
      if (!committed) await this.storage.discard(file);
    }
  }

  /**
   * A document whose OCR comes with it (`ocr_provider: "import"`): every OCR file is read and
   * checked against the images (page count, aspect ratio) before anything is stored, so a refused
   * upload leaves no row and no file. The entry point for any importer (multipart, IIIF…): OCR
   * files as buffers, the image from any source or none.
   */
  async ingestWithOcr(request: ImportRequest): Promise<IngestResult> {
    if (request.ocr.length === 0) throw new InvalidOcrFileException('no OCR file was sent.', '/ocr');
    const received = request.source ? await this.receive(request.source) : null;
    const pending: ReceivedFile[] = received ? [received.file] : [];
    let committed = false;
    try {
      const ocr: ReceivedFile[] = [];
      for (const o of request.ocr) {
        ocr.push(await this.storage.receiveBuffer(o.bytes, this.config.MAX_UPLOAD_BYTES));
        pending.push(ocr[ocr.length - 1]);
      }
      const sha256 = importDigest(
        received?.file.sha256 ?? null,
        ocr.map((o) => o.sha256),
      );
      const replayed = await this.replay(request, { sha256 }, received?.filename);
      if (replayed) return replayed;
      let image: { file: ReceivedFile; mimeType: SupportedMimeType } | null = null;
      let sizes: { width: number; height: number }[] | null = null;
      if (received) {
        if (received.file.sizeBytes === 0) throw new EmptyFileException();
        const mimeType = sniffMimeType(received.file.head);
        if (!mimeType) throw new UnsupportedFileTypeException();
        image = { file: received.file, mimeType };
        // Only sizes, from headers: the worker applies the pixel limit when it reads the pages.
        sizes = await readPageSizes(received.file.tempPath, mimeType, {
          maxPages: this.config.OCR_MAX_PAGES,
          maxPixels: Number.MAX_SAFE_INTEGER,
        });
      }
      const { files } = readImportedPages(request.ocr, sizes);
      const keys: string[] = [];
      for (const file of ocr) keys.push(await this.storage.commit(file, request.tenantId));
      const imageKey = image ? await this.storage.commit(image.file, request.tenantId) : null;
      committed = true;
      const candidate = Object.assign(new DocumentEntity(), {
        id: randomUUID(),
        tenantId: request.tenantId,
        filename: sanitizeFilename(
          request.filename ?? received?.filename ?? request.ocr[0].filename,
          image ? `document.${EXTENSIONS[image.mimeType]}` : 'document.xml',
        ),
        alias: request.alias ?? null,
        metadata: request.metadata ?? {},
        // An OCR-only document's original is its first OCR file (what GET …/file returns).
        mimeType: image?.mimeType ?? (files[0].format === 'hocr' ? 'text/html' : 'application/xml'),
        sizeBytes: image?.file.sizeBytes ?? ocr[0].sizeBytes,
        sha256,
        storageKey: imageKey ?? keys[0],
        status: DocumentStatus.Processing,
        pageCount: null,
        ocrProvider: IMPORT_PROVIDER,
        languages: request.languages?.length ? request.languages : null,
        error: null,
        requestId: RequestContext.requestId() ?? null,
        completedAt: null,
        indexedAt: null,
        iiifSource: request.iiifSource ?? null,
      });
      const { document, created } = await this.ocrFiles.insertDocumentWithFiles(
        candidate,
        ocr.map((o, position) => ({
          id: randomUUID(),
          position,
          format: files[position].format,
          filename: request.ocr[position].filename ? sanitizeFilename(request.ocr[position].filename, 'ocr') : null,
          storageKey: keys[position],
          sha256: o.sha256,
          sizeBytes: o.sizeBytes,
          pageCount: files[position].pages.length,
          pageNumber: null,
        })),
      );
      if (created) await this.enqueueOcr(document);
      return await this.remember(request, { document, created }, { sha256 }, received?.filename);
    } finally {
      if (!committed) await Promise.all(pending.map((f) => this.storage.discard(f)));
    }
  }

  async ingestDeferred(request: DeferredIngestRequest): Promise<IngestResult> {
    const content = { iiifManifest: request.iiifManifest };
    const replayed = await this.replay(request, content);
    if (replayed) return replayed;
    const described = await request.describe();
    const candidate = Object.assign(new DocumentEntity(), {
      id: randomUUID(),
      tenantId: request.tenantId,
      filename: sanitizeFilename(request.filename ?? described.filename, `document.${EXTENSIONS[described.mimeType]}`),
      alias: request.alias ?? described.alias,
      metadata: request.metadata ?? {},
      mimeType: described.mimeType,
      // Known once the worker has made the file.
      sizeBytes: 0,
      sha256: described.sha256,
      storageKey: null,
      status: DocumentStatus.Processing,
      pageCount: null,
      ocrProvider: described.ocrProvider,
      languages: request.languages?.length ? request.languages : null,
      error: null,
      requestId: RequestContext.requestId() ?? null,
      completedAt: null,
      indexedAt: null,
      iiifSource: described.iiifSource,
    });
    const { document, created } = await this.documents.insertOrGetDuplicate(candidate);
    if (created) {
      await this.enqueueOrLeave(document.id, () => this.queue.enqueue(JobName.IiifImport, { documentId: document.id }));
    }
    return this.remember(request, { document, created }, content, undefined);
  }

  /**
   * A retried request gets its first answer (the same document), and nothing new is created; the
   * same key with a different request is refused, since replaying would silently drop it.
   */
  private async replay(
    request: Omit<IngestRequest, 'source'>,
    content: FingerprintedRequest['content'],
    receivedName?: string,
  ): Promise<IngestResult | null> {
    if (!request.idempotencyKey) return null;
    const entry = await this.idempotencyKeys.find(request.tenantId, request.idempotencyKey);
    if (!entry) return null;
    if (
      entry.requestFingerprint !== null &&
      entry.requestFingerprint !== this.fingerprintOf(request, content, receivedName)
    ) {
      throw new IdempotencyKeyReusedException();
    }
    const document = await this.documents.findForTenant(request.tenantId, entry.documentId);
    if (!document) throw new DocumentNotFoundException();
    return { document, created: entry.responseStatus === 202 };
  }

  /** Keeps the answer under the request's Idempotency-Key (if it has one), for its retries to get. */
  private async remember(
    request: Omit<IngestRequest, 'source'>,
    result: IngestResult,
    content: FingerprintedRequest['content'],
    receivedName: string | undefined,
  ): Promise<IngestResult> {
    if (request.idempotencyKey) {
      await this.idempotencyKeys.remember({
        tenantId: request.tenantId,
        key: request.idempotencyKey,
        documentId: result.document.id,
        responseStatus: result.created ? 202 : 200,
        requestFingerprint: this.fingerprintOf(request, content, receivedName),
      });
    }
    return result;
  }

  private fingerprintOf(
    request: Omit<IngestRequest, 'source'>,
    content: FingerprintedRequest['content'],
    receivedName: string | undefined,
  ): string {
    return requestFingerprint({
      content,
      filename: request.filename ?? receivedName ?? null,
      alias: request.alias,
      metadata: request.metadata,
      languages: request.languages,
    });
  }

  private async receive(source: IngestSource): Promise<{ file: ReceivedFile; filename?: string }> {
    switch (source.kind) {
      case 'file':
        return { file: source.file };
      case 'base64': {
        const data = source.data.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
          throw new DomainException(ErrorCode.ValidationFailed, 'file_base64 is not valid base64.', [
            { pointer: '/file_base64', detail: 'not base64' },
          ]);
        }
        return { file: await this.storage.receiveBuffer(Buffer.from(data, 'base64'), this.config.MAX_UPLOAD_BYTES) };
      }
      case 'url':
        return this.urls.fetch(source.url);
    }
  }

  private enqueueOcr(document: DocumentEntity): Promise<void> {
    return this.enqueueOrLeave(document.id, () =>
      this.queue.enqueue(JobName.Ocr, { documentId: document.id, provider: document.ocrProvider }),
    );
  }

  private async enqueueOrLeave(documentId: string, enqueue: () => Promise<void>): Promise<void> {
    try {
      await enqueue();
    } catch (err) {
      // The row is the source of truth: the worker's reconciler queues documents that have no job.
      this.logger.error({ err, documentId }, 'Could not queue the job; the reconciler will retry');
    }
  }
}
