import { DomainException, ErrorCode } from '@recto/common';
import { readImportedPages } from '@recto/ocr-formats';
import { readFile } from 'node:fs/promises';
import type { OcrInput, OcrProvider } from '../../ocr-provider.interface';
import type { OcrResult } from '../../ocr-result';
import { readPageSizes, type PageSizeLimits } from './page-sizes.reader';

export const IMPORT_PROVIDER = 'import';

/**
 * The "engine" of documents uploaded with their OCR: it reads the stored ALTO/hOCR/PAGE files
 * instead of recognising anything, so imported pages take the same store → index path (and the
 * same `reprocess`) as recognised ones. Page sizes come from the images when there are any.
 */
export class ImportOcrAdapter implements OcrProvider {
  readonly name = IMPORT_PROVIDER;

  constructor(private readonly limits: PageSizeLimits) {}

  async recognize(input: OcrInput): Promise<OcrResult> {
    const paths = input.ocrFiles ?? [];
    if (paths.length === 0) {
      throw new DomainException(ErrorCode.InvalidOcrFile, 'The document has no stored OCR files to import.');
    }
    const imageSizes =
      input.hasImage === false ? null : await readPageSizes(input.filePath, input.mimeType, this.limits);
    const inputs = [];
    for (const path of paths) inputs.push({ bytes: await readFile(path) });
    input.signal?.throwIfAborted();
    const placed = input.ocrFilePages;
    if (!placed) {
      const { pages } = readImportedPages(inputs, imageSizes);
      input.onProgress?.({ pageCount: pages.length, pagesDone: pages.length });
      return { provider: IMPORT_PROVIDER, pages };
    }
    if (placed.length !== paths.length) throw new Error('ocrFilePages must give one page per OCR file');
    // Each file is checked against its own page's image, then takes that page's number.
    const pages = inputs.map((file, i) => {
      const size = imageSizes?.[placed[i] - 1];
      if (imageSizes && !size) {
        throw new DomainException(
          ErrorCode.InvalidOcrFile,
          `OCR file ${i + 1} is placed on page ${placed[i]}, but the file has ${imageSizes.length} page(s).`,
        );
      }
      const [page] = readImportedPages([file], size ? [size] : null).pages;
      return { ...page, number: placed[i] };
    });
    input.onProgress?.({ pageCount: pages.length, pagesDone: pages.length });
    return { provider: IMPORT_PROVIDER, pages };
  }
}
