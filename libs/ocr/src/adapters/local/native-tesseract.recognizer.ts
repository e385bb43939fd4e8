import type { OcrWord } from '../../ocr-result';
import { joinQueue, leaveQueue, type QueuedWaiter } from './abortable-queue';
import type { TesseractModel } from './local-ocr.options';
import { NativeTessdataDir } from './native-tessdata';
import { runNativeTesseract, type NativeTesseract } from './native-tesseract.program';
import type { PageRecognizer, ReadPixels } from './page-recognizer';
import { toPgm, type GrayImage } from './page-source';
import type { ResolutionPlan } from './resolution';
import { tesseractWords } from './tesseract-words';
import { tsvBlocks } from './tesseract-tsv';

export interface NativeRecognizerOptions {
  lanes: number;
  model: TesseractModel;
  /** Every language a document may ask for: their models are unpacked into one directory. */
  languages: string[];
  /** Where the gunzipped models are kept between runs. */
  cacheDir: string;
  /** One program run (one reading of one page) is killed after this. */
  timeoutMs: number;
}

interface Waiter extends QueuedWaiter {
  resolve: () => void;
}

/**
 * The native `tesseract` program, one process per reading, at most `lanes` jobs at once: the same
 * pixels, segmentation mode, resolution and model as the wasm engine, for ~16% less CPU a page
 * through the adapter (docs/benchmarks.md). A process holds no state between pages, so an aborted
 * or failed reading leaves nothing to clean up.
 */
export class NativeTesseractRecognizer implements PageRecognizer {
  readonly engine: string;
  private readonly tessdata: NativeTessdataDir;
  private readonly waiters: Waiter[] = [];
  private busy = 0;
  private closed = false;

  constructor(
    private readonly program: NativeTesseract,
    private readonly options: NativeRecognizerOptions,
  ) {
    this.engine = `native (${program.command} ${program.version})`;
    this.tessdata = new NativeTessdataDir(options.model, options.languages, options.cacheDir);
  }

  async run<T>(languages: string[], job: (read: ReadPixels) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    await this.acquire(signal);
    let onAbort: (() => void) | undefined;
    try {
      const tessdataDir = await this.tessdata.path(languages);
      const read = (image: GrayImage, plan: ResolutionPlan) => this.read(image, plan, languages, tessdataDir, signal);
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      return await Promise.race([job(read), aborted]);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('OCR engine closed'));
  }

  private async read(
    image: GrayImage,
    plan: ResolutionPlan,
    languages: string[],
    tessdataDir: string,
    signal: AbortSignal | undefined,
  ): Promise<OcrWord[]> {
    const tsv = await runNativeTesseract(this.program, toPgm(image), {
      tessdataDir,
      languages,
      psm: plan.psm,
      dpi: plan.effectiveDpi,
      timeoutMs: this.options.timeoutMs,
      signal,
    });
    return tesseractWords(tsvBlocks(tsv), image.width, image.height);
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new Error('OCR engine closed'));
    if (this.busy < this.options.lanes) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => joinQueue(this.waiters, { resolve, reject, signal }));
  }

  /** Hands the lane straight to the next waiter, if any. */
  private release(): void {
    const next = this.waiters.shift();
    if (!next) {
      this.busy--;
      return;
    }
    leaveQueue(next);
    next.resolve();
  }
}
