import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalOcrOptions {
  /** Tesseract language packs to load, e.g. ['eng', 'deu']; each must be installed. */
  languages: string[];
  /** Number of Tesseract workers (one CPU core each while busy). */
  poolSize: number;
  /** Documents with more pages fail with ErrorCode.TooManyPages. */
  maxPages: number;
  /** Images (or TIFF pages) with more pixels fail with ErrorCode.ImageTooLarge. */
  maxPixels: number;
  /** Resolution PDF pages without a usable text layer are rendered at. Default 300. */
  pdfRenderDpi?: number;
  /** Traineddata set: 'best_int' (default, tessdata_best as integers) or 'standard' (tessdata 4.0.0). */
  model?: TesseractModel;
  /** Detect each page's orientation (0/90/180/270) and skew (±15°) and read it upright. Default true. */
  autoOrient?: boolean;
  /**
   * Which Tesseract reads the pages: 'native' (the `tesseract` program, ≥ 4, from the PATH), 'wasm'
   * (tesseract.js, nothing to install) or 'auto' (default: native when the program is there).
   */
  engine?: LocalOcrEngine;
  /** Native engine: where the npm models are kept gunzipped. Default `<os tmpdir>/recto-tessdata`. */
  tessdataCacheDir?: string;
  /** Native engine: one reading of one page is killed (a transient failure) after this. Default 300 s. */
  pageTimeoutMs?: number;
}

export type TesseractModel = 'best_int' | 'standard';
export type LocalOcrEngine = 'auto' | 'wasm' | 'native';

export const DEFAULT_LOCAL_OCR_OPTIONS: LocalOcrOptions = {
  // Order matters: Tesseract favours the first language. With 'deu' first, German pages kept their
  // umlauts (word recall 0.988 vs 0.960) and English forms lost nothing (0.907 both ways).
  languages: ['deu', 'eng'],
  poolSize: availableParallelism(),
  maxPages: 200,
  maxPixels: 100_000_000,
  pdfRenderDpi: 300,
  model: 'best_int',
  autoOrient: true,
  engine: 'auto',
  tessdataCacheDir: join(tmpdir(), 'recto-tessdata'),
  // A 100-megapixel page reads in about a minute on one core: five is a stuck process.
  pageTimeoutMs: 300_000,
};
