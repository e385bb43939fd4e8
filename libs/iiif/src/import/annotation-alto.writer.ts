import type { OcrWord } from '@recto/ocr';
import { AltoWriter } from '@recto/ocr-formats';
import type { AnnotationCanvas } from './annotation-ocr.reader';

/** The processing date written: fixed, so the same words make the same bytes. */
const WRITTEN = new Date(0);

/**
 * A canvas's annotation words (readAnnotationOcr) as the OCR file the import keeps: one-page ALTO
 * at the canvas's size, by Recto's own ALTO writer. Imported OCR is stored as files, which the
 * import engine and `reprocess` read again, so the words need a file; the writer's round trip keeps
 * text, lines and order, and boxes within half a canvas unit. The bytes depend on the words only
 * (no clock): files are content-addressed, so a retried import job stores the same file again
 * rather than another.
 */
export function writeAnnotationAlto(canvas: AnnotationCanvas, words: OcrWord[], documentName: string): Buffer {
  const alto = new AltoWriter({
    documentName,
    imageName: canvas.id,
    ocrProvider: 'IIIF annotations',
    created: WRITTEN,
  });
  const page = alto.page({ number: 1, width: canvas.width, height: canvas.height, words });
  return Buffer.from(alto.begin() + page + alto.end());
}
