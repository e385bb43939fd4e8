import type { PageTurn } from './page-turn';

/** Relative [x, y] in [0, 1], origin top-left of the page as displayed. */
export type Point = [number, number];

export interface OcrWord {
  content: string;
  /** 4 points clockwise from the word's top-left corner. */
  polygon: Point[];
  /** 0..1, or null when the source carries none (text layers). */
  confidence: number | null;
  /** Line index within the page, in reading order. */
  line: number;
}

export interface OcrPage {
  /** 1-based. */
  number: number;
  /**
   * Size of the page the polygons are relative to: image pixels for image files (after EXIF
   * orientation), rendered pixels at the OCR resolution for OCRed PDF pages, and PDF points
   * (1/72 in, rotation applied) for text-layer pages. Polygons are relative, so consumers only
   * need these for aspect ratio and display hints.
   */
  width: number | null;
  height: number | null;
  words: OcrWord[];
  /** `import`: read from an uploaded ALTO, hOCR or PAGE file. */
  source: 'ocr' | 'text-layer' | 'import';
  /**
   * How the local engine turned the page image before reading it (its polygons, width and height
   * are in the turned frame, which the page image renderer reproduces). Absent: not turned.
   */
  turn?: PageTurn;
  /** Factor the page image was upscaled by before OCR (1: not upscaled); absent where not known. */
  upscale?: number;
}

export interface OcrResult {
  provider: string;
  pages: OcrPage[];
}
