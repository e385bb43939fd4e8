import { Injectable } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { DocumentRepository, OcrFileEntity, OcrFileRepository } from '@recto/database';
import { IMPORT_PROVIDER, ImportOcrAdapter, OcrResult } from '@recto/ocr';
import { FileStorage } from '@recto/storage';
import { hasPageImages } from './mime-sniffer';

/**
 * OCR files placed on some pages only (`ocr_files.page_number`: a IIIF import whose canvases link
 * OCR here and there): those pages keep their imported words whatever engine reads the others.
 * Applied where every result is stored (OcrCompletionService), so a worker's polling and a
 * provider's webhook store the same pages; the OCR job only spares the engine those pages.
 */
@Injectable()
export class PlacedOcrService {
  private readonly importer: ImportOcrAdapter;

  constructor(
    config: SharedConfig,
    private readonly documents: DocumentRepository,
    private readonly ocrFiles: OcrFileRepository,
    private readonly storage: FileStorage,
  ) {
    // The same page limits as the worker's import engine (OcrModule).
    this.importer = new ImportOcrAdapter({ maxPages: config.OCR_MAX_PAGES, maxPixels: config.OCR_MAX_PIXELS });
  }

  /** The engine's result with the placed pages imported over it, in page order; unchanged without any. */
  async merge(documentId: string, result: OcrResult): Promise<OcrResult> {
    // The import engine read the files itself.
    if (result.provider === IMPORT_PROVIDER) return result;
    const files = await this.ocrFiles.listForDocument(documentId);
    const placed = placedPagesOf(files);
    const document = placed && (await this.documents.findById(documentId));
    if (!placed || !document?.storageKey) return result;
    const { pages: imported } = await this.importer.recognize({
      documentId,
      filePath: this.storage.pathOf(document.storageKey),
      mimeType: document.mimeType,
      ocrFiles: files.map((f) => this.storage.pathOf(f.storageKey)),
      ocrFilePages: placed,
      hasImage: hasPageImages(document.mimeType),
    });
    const covered = new Set(placed);
    const pages = [...imported, ...result.pages.filter((p) => !covered.has(p.number))];
    return { provider: result.provider, pages: pages.sort((a, b) => a.number - b.number) };
  }
}

/** The page each OCR file is placed on, when every file is placed; else undefined (files from page 1 on). */
export function placedPagesOf(files: OcrFileEntity[]): number[] | undefined {
  if (files.length === 0 || files.some((f) => f.pageNumber === null)) return undefined;
  return files.map((f) => f.pageNumber as number);
}
