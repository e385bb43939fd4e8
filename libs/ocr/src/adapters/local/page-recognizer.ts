import type { OcrWord } from '../../ocr-result';
import type { GrayImage } from './page-source';
import type { ResolutionPlan } from './resolution';

/** Reads the words of one prepared page image, with the segmentation mode and resolution of its plan. */
export type ReadPixels = (image: GrayImage, plan: ResolutionPlan) => Promise<OcrWord[]>;

/**
 * A Tesseract engine behind the local adapter (tesseract.js workers, or the native program): the
 * adapter prepares the pixels (upscale, turn, deskew) and asks for words; the engine only reads.
 */
export interface PageRecognizer {
  /** What reads the pages, for the boot log, e.g. "native tesseract 5.3.0". */
  readonly engine: string;
  /**
   * Runs `job` in one of the engine's lanes (a worker or a process slot) with a reader for
   * `languages`; at most as many jobs run at once as there are lanes. Aborting ends the job.
   */
  run<T>(languages: string[], job: (read: ReadPixels) => Promise<T>, signal?: AbortSignal): Promise<T>;
  close(): Promise<void>;
}
