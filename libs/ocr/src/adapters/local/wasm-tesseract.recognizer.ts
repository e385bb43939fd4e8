import { DomainException, ErrorCode } from '@recto/common';
import type { Worker } from 'tesseract.js';
import type { OcrWord } from '../../ocr-result';
import type { TesseractModel } from './local-ocr.options';
import type { PageRecognizer, ReadPixels } from './page-recognizer';
import { toPgm, type GrayImage } from './page-source';
import type { ResolutionPlan } from './resolution';
import { TesseractLanguageDir } from './tesseract-languages';
import { TesseractPool } from './tesseract-pool';
import { tesseractWords, type TesseractBlock } from './tesseract-words';

// Read once: the version of the tesseract.js build in use, for the boot log.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TESSERACT_JS_VERSION = (require('tesseract.js/package.json') as { version: string }).version;

/** Tesseract compiled to wasm (tesseract.js), one worker thread per lane: needs nothing installed. */
export class WasmTesseractRecognizer implements PageRecognizer {
  readonly engine = `wasm (tesseract.js ${TESSERACT_JS_VERSION})`;
  private readonly pool: TesseractPool;

  constructor(lanes: number, model: TesseractModel) {
    this.pool = new TesseractPool(lanes, new TesseractLanguageDir(model));
  }

  run<T>(languages: string[], job: (read: ReadPixels) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.pool.run(languages, (worker) => job((image, plan) => read(worker, image, plan)), signal);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

async function read(worker: Worker, image: GrayImage, plan: ResolutionPlan): Promise<OcrWord[]> {
  let result;
  try {
    result = await worker.recognize(
      toPgm(image),
      { tessedit_pageseg_mode: plan.psm, user_defined_dpi: String(plan.effectiveDpi) } as never,
      { blocks: true, text: false },
    );
  } catch (error) {
    throw new DomainException(
      ErrorCode.OcrFailed,
      `OCR failed on a page: ${error instanceof Error ? error.message : String(error)}`,
      [],
      false,
    );
  }
  return tesseractWords(result.data.blocks as TesseractBlock[] | null, image.width, image.height);
}
