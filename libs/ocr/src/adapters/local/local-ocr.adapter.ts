import { open } from 'node:fs/promises';
import { DomainException, ErrorCode } from '@recto/common';
import type { OcrInput, OcrProvider } from '../../ocr-provider.interface';
import type { OcrPage, OcrResult, OcrWord, Point } from '../../ocr-result';
import {
  addQuarterTurns,
  isTurned,
  NO_TURN,
  reframePolygon,
  turnAngle,
  turnedSize,
  type PageTurn,
  type TurnedFrame,
} from '../../page-turn';
import { roundPoint } from './geometry';
import { sharpenGray, turnGray } from './gray-image-turner';
import { openImageSource } from './image-page-source';
import { DEFAULT_LOCAL_OCR_OPTIONS, type LocalOcrOptions } from './local-ocr.options';
import type { PageSource, RasterPage } from './page-source';
import { firstTurn, needsFlipCheck, preferFlipped } from './page-orientation';
import { openPdfSource } from './pdf-page-source';
import { DEFAULT_RESOLUTION_RULE, type ResolutionRule } from './resolution';
import { NativeTesseractRecognizer } from './native-tesseract.recognizer';
import { findNativeTesseract, MIN_NATIVE_TESSERACT_MAJOR } from './native-tesseract.program';
import type { PageRecognizer } from './page-recognizer';
import { installedLanguages, traineddataPath } from './tesseract-languages';
import { WasmTesseractRecognizer } from './wasm-tesseract.recognizer';
import { estimateSkew } from './skew-estimator';

type FileKind = 'pdf' | 'image';

// Long side of the copy the skew is estimated on: enough for ~10 px text lines, ~50 ms of work.
const ESTIMATE_LONG_SIDE = 1000;
// Gaussian radius of the sharpening after a deskew, in pixels of the page as stored.
const SHARPEN_SOURCE_PIXELS = 0.5;

/**
 * Offline OCR: Tesseract (the native program when installed, else wasm via tesseract.js) on page
 * images from sharp and pdfjs, and the text layer of born-digital PDF pages where there is one.
 */
export class LocalOcrAdapter implements OcrProvider {
  readonly name = 'local';
  private readonly options: Required<LocalOcrOptions>;
  private readonly recognizer: PageRecognizer;

  constructor(
    options: Partial<LocalOcrOptions> = {},
    /** Overrides the resolution rule; for measurement scripts and tests. */
    private readonly rule: ResolutionRule = DEFAULT_RESOLUTION_RULE,
  ) {
    // Options left undefined (e.g. unset config values) fall back to the defaults.
    const given = Object.entries(options).filter(([, value]) => value !== undefined);
    this.options = {
      ...DEFAULT_LOCAL_OCR_OPTIONS,
      ...Object.fromEntries(given),
    } as Required<LocalOcrOptions>;
    const { languages, poolSize, maxPages, maxPixels, pdfRenderDpi, model, pageTimeoutMs } = this.options;
    if (languages.length === 0) throw new Error('LocalOcrAdapter needs at least one language');
    const missing = languages.filter((language) => !traineddataPath(language, model));
    if (missing.length > 0) {
      const installed = installedLanguages(model);
      throw new Error(
        `Tesseract language(s) ${missing.join(', ')} not installed (model ${model}); installed: ` +
          `${installed.join(', ') || 'none'}. Add the @tesseract.js-data/<lang> package to install one.`,
      );
    }
    for (const [key, value] of Object.entries({
      poolSize,
      pageTimeoutMs,
      maxPages,
      maxPixels,
      pdfRenderDpi,
    })) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`LocalOcrAdapter option ${key} must be a positive number, got ${value}`);
      }
    }
    this.recognizer = this.createRecognizer(Math.floor(poolSize));
  }

  /** Which Tesseract reads the pages, e.g. "native (tesseract 5.3.0)": for the boot log. */
  get engine(): string {
    return this.recognizer.engine;
  }

  async recognize(input: OcrInput): Promise<OcrResult> {
    input.signal?.throwIfAborted();
    const languages = this.languagesFor(input.languages);
    const source = await this.openSource(input);
    try {
      const skipped = new Set(input.skipPages ?? []);
      // 0-based indexes of the pages to read: every page but those the caller has already.
      const wanted = Array.from({ length: source.pageCount }, (_, i) => i).filter((i) => !skipped.has(i + 1));
      const pages = new Array<OcrPage>(wanted.length);
      let done = 0;
      const report = () => input.onProgress?.({ pageCount: wanted.length, pagesDone: done });
      report();
      let next = 0;
      let failed = false;
      // As many pages in flight as there are workers: enough to keep them busy while the next
      // page is decoded, and no more page images in memory than that.
      const lane = async () => {
        while (next < wanted.length && !failed) {
          const slot = next++;
          input.signal?.throwIfAborted();
          try {
            pages[slot] = await this.readPage(source, wanted[slot], languages, input.signal);
            done++;
            report();
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      };
      const lanes = Math.max(1, Math.min(this.options.poolSize, wanted.length));
      // Settle every lane before the source is closed under them.
      const outcomes = await Promise.allSettled(Array.from({ length: lanes }, lane));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
      return { provider: this.name, pages };
    } finally {
      await source.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.recognizer.close();
  }

  private createRecognizer(lanes: number): PageRecognizer {
    const { engine, model, languages, tessdataCacheDir, pageTimeoutMs } = this.options;
    if (engine !== 'auto' && engine !== 'wasm' && engine !== 'native') {
      throw new Error(`LocalOcrAdapter option engine must be auto, wasm or native, got ${String(engine)}`);
    }
    if (engine === 'wasm') return new WasmTesseractRecognizer(lanes, model);
    const program = findNativeTesseract();
    const usable = program !== null && program.major >= MIN_NATIVE_TESSERACT_MAJOR;
    if (!usable) {
      if (engine === 'auto') return new WasmTesseractRecognizer(lanes, model);
      throw new Error(
        `The native OCR engine needs the tesseract program, version ${MIN_NATIVE_TESSERACT_MAJOR} or later, on ` +
          `the PATH (Debian/Ubuntu: apt-get install tesseract-ocr); ` +
          (program ? `found tesseract ${program.version}.` : 'none was found.') +
          ` The wasm engine needs nothing installed.`,
      );
    }
    return new NativeTesseractRecognizer(program, {
      lanes,
      model,
      languages,
      cacheDir: tessdataCacheDir,
      timeoutMs: pageTimeoutMs,
    });
  }

  /** The document's hint narrowed to installed languages; without a usable hint, all of them. */
  private languagesFor(hint: string[] | undefined): string[] {
    const configured = this.options.languages;
    const wanted = (hint ?? []).map((language) => language.toLowerCase());
    const usable = configured.filter((language) => wanted.includes(language));
    return usable.length > 0 ? usable : configured;
  }

  private async readPage(
    source: PageSource,
    index: number,
    languages: string[],
    signal: AbortSignal | undefined,
  ): Promise<OcrPage> {
    const page = await source.page(index);
    if (page.kind === 'text') {
      const { width, height, words } = page;
      return { number: index + 1, width, height, words, source: 'text-layer' };
    }
    const { words, turn } = await this.ocr(page, languages, signal);
    const size = turnedSize(page, turn);
    return {
      number: index + 1,
      width: size.width,
      height: size.height,
      words,
      source: 'ocr',
      turn,
      upscale: Math.round(page.plan.scale * 100) / 100,
    };
  }

  /**
   * Reads a page upright: a projection profile of a small copy gives its skew and whether its
   * lines run down the page (a quarter turn), the page is turned by that, and a reading whose
   * confidence is doubtful is compared with one of the page turned by 180° more.
   */
  private async ocr(
    page: RasterPage,
    languages: string[],
    signal: AbortSignal | undefined,
  ): Promise<{ words: OcrWord[]; turn: PageTurn }> {
    return this.recognizer.run(
      languages,
      async (readPixels) => {
        // Decoded only once a worker is free, so waiting pages hold no pixels.
        if (!this.options.autoOrient) {
          const image = await page.render();
          signal?.throwIfAborted();
          return { words: await readPixels(image, page.plan), turn: NO_TURN };
        }
        const { image, preview } = await page.renderWithPreview(ESTIMATE_LONG_SIDE);
        signal?.throwIfAborted();
        const first = firstTurn(estimateSkew(preview));
        let turn = first;
        let turned = isTurned(first) ? await turnGray(image, turnAngle(first)) : image;
        // Straightening interpolates every pixel, and a skewed page has often been interpolated
        // once already (by whatever turned it): both soften small print. Sharpening at the scale of
        // half a source pixel gave back part of the box accuracy lost at +6° (IoU≥0.5 0.925 → 0.950
        // of upright on 6 FUNSD pages) without touching pages that are not straightened.
        if (first.deskewDegrees !== 0) turned = await sharpenGray(turned, SHARPEN_SOURCE_PIXELS * page.plan.scale);
        let words = await readPixels(turned, page.plan);
        let flipped = false;
        if (needsFlipCheck(words)) {
          signal?.throwIfAborted();
          // A quarter-exact turn of the already turned pixels: no second resampling.
          const flippedWords = await readPixels(await turnGray(turned, 180), page.plan);
          if (preferFlipped(words, flippedWords)) {
            words = flippedWords;
            flipped = true;
            turn = { ...turn, rotation: addQuarterTurns(turn.rotation, 180) };
          }
        }
        if (!isTurned(turn)) return { words, turn };
        // From the pixels read (the page scaled for OCR, turned by `first`, perhaps flipped) to the
        // served page image (the page at its own size turned by `turn`).
        const read: TurnedFrame = { size: image, turn: first };
        const served: TurnedFrame = { size: page, turn };
        const placed = words.map((word) => {
          const polygon = flipped ? word.polygon.map(([x, y]): Point => [1 - x, 1 - y]) : word.polygon;
          return { ...word, polygon: reframePolygon(polygon, read, served).map(roundPoint) };
        });
        return { words: placed, turn };
      },
      signal,
    );
  }

  private async openSource(input: OcrInput): Promise<PageSource> {
    const kind = await detectKind(input.filePath, input.mimeType);
    const { maxPages, maxPixels, pdfRenderDpi } = this.options;
    return kind === 'pdf'
      ? openPdfSource(input.filePath, { maxPages, maxPixels, renderDpi: pdfRenderDpi }, this.rule)
      : openImageSource(input.filePath, { maxPages, maxPixels }, this.rule);
  }
}

/** What the file is by its first bytes; the declared type only breaks ties for unknown content. */
async function detectKind(filePath: string, mimeType: string): Promise<FileKind> {
  const head = Buffer.alloc(1024);
  let bytesRead: number;
  try {
    const handle = await open(filePath, 'r');
    try {
      ({ bytesRead } = await handle.read(head, 0, head.length, 0));
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new DomainException(ErrorCode.UnreadableFile, `The file could not be opened (${(error as Error).message}).`);
  }
  if (bytesRead === 0) throw new DomainException(ErrorCode.UnreadableFile, 'The file is empty.');
  // PDF readers accept the header anywhere in the first KiB; a few producers put junk before it.
  if (head.includes('%PDF-')) return 'pdf';
  if (isImageSignature(head)) return 'image';
  if (mimeType === 'application/pdf') {
    throw new DomainException(ErrorCode.UnreadableFile, 'The file is not a valid PDF.');
  }
  if (mimeType.startsWith('image/')) return 'image';
  throw new DomainException(
    ErrorCode.UnreadableFile,
    `The file is neither a PDF nor a supported image (declared as ${mimeType || 'unknown'}).`,
  );
}

function isImageSignature(head: Buffer): boolean {
  const hex = head.toString('hex');
  return (
    hex.startsWith('89504e470d0a1a0a') || // PNG
    hex.startsWith('ffd8ff') || // JPEG
    hex.startsWith('49492a00') || // TIFF, little-endian
    hex.startsWith('4d4d002a') || // TIFF, big-endian
    hex.startsWith('47494638') || // GIF
    (hex.startsWith('52494646') && head.subarray(8, 12).toString('latin1') === 'WEBP')
  );
}
