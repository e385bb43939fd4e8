import type { OcrWord } from '../../ocr-result';
import type { ResolutionPlan } from './resolution';

/** 8-bit single-channel pixels, row-major, ready for Tesseract. */
export interface GrayImage {
  data: Buffer;
  width: number;
  height: number;
}

/** A page to OCR: its size as reported, how to read it, and its pixels on demand. */
export interface RasterPage {
  kind: 'raster';
  width: number;
  height: number;
  plan: ResolutionPlan;
  /** Decodes (or renders) the page scaled by plan.scale; called once, right before OCR. */
  render(): Promise<GrayImage>;
  /**
   * The pixels of render(), and a copy at most `longSide` pixels on its long side for page-level
   * estimates (skew, orientation), made before the upscale where there is one: shrinking the
   * upscaled pixels again costs more and tells the estimate nothing new.
   */
  renderWithPreview(longSide: number): Promise<{ image: GrayImage; preview: GrayImage }>;
}

/** A page whose words came from the file itself (a PDF text layer). */
export interface TextPage {
  kind: 'text';
  width: number;
  height: number;
  words: OcrWord[];
}

export type SourcePage = RasterPage | TextPage;

/**
 * A document opened for OCR. Pages are produced one at a time, so a 200-page file never has more
 * page images in memory than there are pages being read.
 */
export interface PageSource {
  readonly pageCount: number;
  /** 0-based. */
  page(index: number): Promise<SourcePage>;
  close(): Promise<void>;
}

export interface PageSourceLimits {
  maxPages: number;
  maxPixels: number;
}

/** Tesseract reads PGM natively: a header in front of raw grey pixels, no encoding cost. */
export function toPgm(image: GrayImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`), image.data]);
}
