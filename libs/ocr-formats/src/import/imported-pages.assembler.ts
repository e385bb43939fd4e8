import type { OcrPage } from '@recto/ocr';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import type { OcrUnit, ParsedOcrFile, ParsedOcrPage } from '../ocr-file';

export interface PageSize {
  width: number;
  height: number;
}

/** How far an OCR page's aspect ratio may stray from its image's before the two are taken for different pages. */
export const MAX_ASPECT_MISMATCH = 0.02;

/** Pixels per unit at the resolution an OCR-only page is given (300 dpi, the usual scanning resolution). */
const PIXELS_PER_UNIT: Record<OcrUnit, number> = { pixel: 1, mm10: 300 / 254, inch1200: 300 / 1200 };

/**
 * The pages of a document from its OCR files, in part order then page order, checked against the
 * document's images when it has them: as many pages as images, each within 2% of its image's
 * aspect ratio (else the OCR belongs to other pages). With images, pages take the images' sizes;
 * OCR-only pages take the file's, in pixels (ALTO mm10/inch1200 at 300 dpi).
 */
export function assembleImportedPages(files: ParsedOcrFile[], imageSizes: PageSize[] | null): OcrPage[] {
  const parsed: ParsedOcrPage[] = files.flatMap((f) => f.pages);
  if (parsed.length === 0) throw new InvalidOcrFileException('the OCR files hold no page.');
  if (imageSizes && imageSizes.length !== parsed.length) {
    throw new InvalidOcrFileException(
      `the OCR files describe ${parsed.length} page(s) but the file has ${imageSizes.length}.`,
      '/ocr',
    );
  }
  return parsed.map((page, i): OcrPage => {
    const image = imageSizes?.[i];
    const { width, height } = page;
    if (!width || !height) throw new InvalidOcrFileException(`page ${i + 1} has no size.`, `/pages/${i + 1}`);
    if (image) {
      const mismatch = Math.abs(width / height / (image.width / image.height) - 1);
      if (mismatch > MAX_ASPECT_MISMATCH) {
        throw new InvalidOcrFileException(
          `page ${i + 1}: the OCR page is ${width}x${height} ${page.unit} but its image is ${image.width}x${image.height} pixels ` +
            `(aspect ratios differ by ${(mismatch * 100).toFixed(1)}%, more than ${MAX_ASPECT_MISMATCH * 100}%).`,
          `/pages/${i + 1}`,
        );
      }
    }
    const scale = PIXELS_PER_UNIT[page.unit];
    return {
      number: i + 1,
      width: image ? image.width : Math.round(width * scale),
      height: image ? image.height : Math.round(height * scale),
      words: page.words,
      source: 'import',
    };
  });
}
