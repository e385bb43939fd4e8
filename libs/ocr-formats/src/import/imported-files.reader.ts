import type { OcrPage } from '@recto/ocr';
import { createHash } from 'node:crypto';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import type { ParsedOcrFile } from '../ocr-file';
import { parseOcrFile } from '../ocr-file.parser';
import { assembleImportedPages, type PageSize } from './imported-pages.assembler';

export interface OcrFileInput {
  bytes: Buffer;
  /** Named in errors, so that the caller knows which of several files failed. */
  filename?: string | null;
}

/**
 * The pages of a document from its OCR files in order (one file may hold several pages), checked
 * against the image sizes when there are images. One entry point for upload checks, the import
 * "engine" and any other importer (IIIF): errors name the file (`/ocr/<i>`) and the page.
 */
export function readImportedPages(
  inputs: OcrFileInput[],
  imageSizes: PageSize[] | null,
): { files: ParsedOcrFile[]; pages: OcrPage[] } {
  const files: ParsedOcrFile[] = [];
  let offset = 0;
  for (const [i, input] of inputs.entries()) {
    const first = offset;
    try {
      files.push(parseOcrFile(input.bytes, { pageSize: (p) => imageSizes?.[first + p] }));
    } catch (err) {
      if (!(err instanceof InvalidOcrFileException)) throw err;
      const name = input.filename ? ` (${input.filename})` : '';
      throw new InvalidOcrFileException(
        `OCR file ${i + 1}${name}: ${err.errors[0]?.detail ?? err.message}`,
        `/ocr/${i}`,
      );
    }
    offset += files[files.length - 1].pages.length;
  }
  return { files, pages: assembleImportedPages(files, imageSizes) };
}

/**
 * The sha256 identifying an imported document: of its image's and OCR files' digests together, so
 * the same image with other OCR is another document, and a client can compute it to skip uploads.
 */
export function importDigest(imageSha256: string | null, ocrSha256s: string[]): string {
  return createHash('sha256')
    .update(['recto-import', imageSha256 ?? '-', ...ocrSha256s].join('\n'))
    .digest('hex');
}
