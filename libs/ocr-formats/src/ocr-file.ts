import type { OcrPage } from '@recto/ocr';

/** The OCR file formats Recto reads (and writes). */
export type OcrFormat = 'alto' | 'hocr' | 'page';

/** Units an OCR file's coordinates can be in: ALTO's MeasurementUnit values; hOCR and PAGE are pixels. */
export type OcrUnit = 'pixel' | 'mm10' | 'inch1200';

/**
 * One page as the file describes it: words with relative polygons (the contract's shape), and
 * `width`/`height` in the file's own `unit`. Relative polygons do not depend on the unit; the size
 * only serves the aspect-ratio check against an image and the page size of OCR-only documents.
 */
export interface ParsedOcrPage extends OcrPage {
  unit: OcrUnit;
  /** The image the file names, when it does (ALTO fileName, hOCR `image`, PAGE imageFilename). */
  imageName: string | null;
}

export interface ParsedOcrFile {
  format: OcrFormat;
  pages: ParsedOcrPage[];
}
