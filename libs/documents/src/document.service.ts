import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DocumentEntity,
  DocumentRepository,
  DocumentStatus,
  OcrFileRepository,
  PageEntity,
  PageRepository,
  ProviderJobRepository,
  WordEntity,
} from '@recto/database';
import { JobName, JobQueue, ProviderAnnouncements } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { FileStorage, PageImageCache } from '@recto/storage';
import { ReadStream } from 'node:fs';
import { decodeCursor, encodeCursor } from './document-cursor';
import { IMPORT_PROVIDER } from '@recto/ocr';
import {
  DocumentBusyException,
  DocumentFileMissingException,
  DocumentNotFoundException,
  PageNotFoundException,
  ProviderNotAvailableException,
  ReprocessNotPossibleException,
} from './document.exceptions';
import { hasPageImages } from './mime-sniffer';

const LOCAL_PROVIDER = 'local';

export interface DocumentList {
  documents: DocumentEntity[];
  nextCursor: string | null;
}

export interface PageWithWords {
  page: PageEntity;
  words: WordEntity[];
  /** The source manifest's canvas of this page, for a document imported from IIIF. */
  iiifCanvas: string | null;
}

export interface StoredFile {
  document: DocumentEntity;
  stream: ReadStream;
}

/** Reading, deleting and reprocessing documents, always within the caller's tenant. */
@Injectable()
export class DocumentService {
  private readonly logger = new Logger(DocumentService.name);

  constructor(
    private readonly documents: DocumentRepository,
    private readonly pages: PageRepository,
    private readonly storage: FileStorage,
    private readonly queue: JobQueue,
    @Inject(SEARCH_INDEX) private readonly searchIndex: SearchIndex,
    private readonly pageImages: PageImageCache,
    private readonly providerJobs: ProviderJobRepository,
    private readonly providers: ProviderAnnouncements,
    private readonly ocrFiles: OcrFileRepository,
  ) {}

  /** Another tenant's document is indistinguishable from a missing one. */
  async get(tenantId: string, id: string): Promise<DocumentEntity> {
    const document = await this.documents.findForTenant(tenantId, id);
    if (!document) throw new DocumentNotFoundException();
    return document;
  }

  async list(
    tenantId: string,
    query: { status?: DocumentStatus; quality?: string; sha256?: string; limit: number; cursor?: string },
  ): Promise<DocumentList> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.documents.list({
      tenantId,
      status: query.status,
      quality: query.quality,
      sha256: query.sha256?.toLowerCase(),
      limit: query.limit + 1,
      after,
    });
    const documents = rows.slice(0, query.limit);
    const last = documents[documents.length - 1];
    return { documents, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async page(tenantId: string, id: string, number: number): Promise<PageWithWords> {
    const document = await this.get(tenantId, id);
    const page = await this.pages.findPage(id, number);
    if (!page) throw new PageNotFoundException(number);
    const iiifCanvas = document.iiifSource?.canvases[number - 1]?.id ?? null;
    return { page, words: await this.pages.findWords(page.id), iiifCanvas };
  }

  async file(tenantId: string, id: string): Promise<StoredFile> {
    const document = await this.get(tenantId, id);
    if (document.storageKey === null) throw new DocumentFileMissingException();
    return { document, stream: this.storage.openRead(document.storageKey) };
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const document = await this.get(tenantId, id);
    await this.queue.cancel(id);
    const ocrKeys = (await this.ocrFiles.listForDocument(id)).map((f) => f.storageKey);
    await this.documents.delete(id);
    // Bytes are content-addressed: an imported document may share its image or OCR files with another.
    for (const key of new Set([...(document.storageKey === null ? [] : [document.storageKey]), ...ocrKeys])) {
      if (!(await this.ocrFiles.isReferenced(key))) await this.storage.remove(key);
    }
    await this.pageImages.removeDocument(tenantId, document.sha256);
    // Search drops hits whose page is gone from Postgres, so a failed index delete only leaves garbage.
    await this.searchIndex.deleteDocument(id).catch((err: unknown) => {
      this.logger.warn({ err, documentId: id }, 'Index entries of a deleted document remain until reindex');
    });
  }

  /** How many of the tenant's documents are in each status (every status present, zeros included). */
  async countByStatus(tenantId: string): Promise<Record<DocumentStatus, number>> {
    const counts = await this.documents.countByStatus(tenantId);
    return Object.fromEntries(Object.values(DocumentStatus).map((s) => [s, counts[s] ?? 0])) as Record<
      DocumentStatus,
      number
    >;
  }

  async reprocess(tenantId: string, id: string, provider?: string): Promise<DocumentEntity> {
    const document = await this.get(tenantId, id);
    const chosen = provider ?? document.ocrProvider;
    // Every worker has the local engine and the import reader; a job for them waits for one to come up.
    if (chosen !== LOCAL_PROVIDER && chosen !== IMPORT_PROVIDER && !(await this.providers.isAnnounced(chosen))) {
      throw new ProviderNotAvailableException(chosen);
    }
    const ocrFiles = chosen === IMPORT_PROVIDER ? await this.ocrFiles.listForDocument(id) : [];
    // An import not yet attached gets its OCR files with its fetch: linked OCR or text annotations on every canvas.
    const textToFetch =
      document.storageKey === null && !!document.iiifSource?.canvases.every((c) => c.ocr || c.annotations?.length);
    if (chosen === IMPORT_PROVIDER && ocrFiles.length === 0 && !textToFetch) {
      throw new ReprocessNotPossibleException(
        'The document has no stored OCR files to import; it was not uploaded with any.',
      );
    }
    if (chosen === IMPORT_PROVIDER && ocrFiles.some((f) => f.pageNumber !== null)) {
      throw new ReprocessNotPossibleException(
        'Only some pages of the document have imported OCR (the canvases that link it); the others need an OCR engine.',
      );
    }
    if (chosen !== IMPORT_PROVIDER && !hasPageImages(document.mimeType)) {
      throw new ReprocessNotPossibleException(
        `The document was imported from OCR files only: "${chosen}" needs a page image to recognise.`,
      );
    }
    if (await this.queue.hasLiveJob(id)) throw new DocumentBusyException();
    // A new run: whatever the previous one still delivers (a late webhook) is ignored.
    await this.providerJobs.supersedeAll(id);
    await this.documents.markProcessing(id, chosen);
    // A IIIF import that failed before its images were attached (the source was away): fetch again.
    if (document.storageKey === null) await this.queue.requeue(JobName.IiifImport, { documentId: id });
    else await this.queue.requeue(JobName.Ocr, { documentId: id, provider: chosen });
    return this.get(tenantId, id);
  }
}
