import type { OcrWord } from '../../ocr-result';
import { boxToPolygon, roundPoint, type PixelBox } from './geometry';

/** The subset of tesseract.js `blocks` output read here. */
export interface TesseractBlock {
  paragraphs?: {
    lines?: {
      words?: { text: string; confidence: number; bbox: PixelBox }[];
    }[];
  }[];
}

/**
 * Words in Tesseract's reading order with polygons relative to the image Tesseract read; since
 * they are relative, they hold for the original page whatever it was scaled by.
 */
export function tesseractWords(
  blocks: TesseractBlock[] | null | undefined,
  imageWidth: number,
  imageHeight: number,
): OcrWord[] {
  const words: OcrWord[] = [];
  let line = -1;
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs ?? []) {
      for (const textLine of paragraph.lines ?? []) {
        let lineHasWords = false;
        for (const word of textLine.words ?? []) {
          const content = word.text.trim();
          if (!content) continue;
          if (!lineHasWords) {
            line += 1;
            lineHasWords = true;
          }
          words.push({
            content,
            polygon: boxToPolygon(word.bbox, imageWidth, imageHeight).map(roundPoint),
            confidence: Number.isFinite(word.confidence) ? Math.min(1, Math.max(0, word.confidence / 100)) : null,
            line,
          });
        }
      }
    }
  }
  return words;
}
