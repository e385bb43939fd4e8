import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcrWord } from '../../ocr-result';
import { joinQueue, leaveQueue, type QueuedWaiter } from './abortable-queue';
import { writeGrayTiff } from './gray-tiff';
import type { TesseractModel } from './local-ocr.options';
import { NativeTessdataDir } from './native-tessdata';
import { NativeTesseractProcess, type NativeProcessSettings } from './native-tesseract.process';
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
  /** One reading of one page is killed after this. */
  timeoutMs: number;
  /** A process left without a page this long is ended. Default 30 s. */
  idleMs?: number;
}

// Long enough to carry a process across the gaps between a document's pages and between
// documents in a busy queue; short enough that an idle worker gives back its memory soon.
const DEFAULT_IDLE_MS = 30_000;
// The resolutions Tesseract believes a file's density in (kMinCredibleResolution and
// kMaxCredibleResolution): outside them it estimates its own, where `--dpi` is taken as given.
const MIN_CREDIBLE_DPI = 70;
const MAX_CREDIBLE_DPI = 2400;

interface IdleProcess {
  process: NativeTesseractProcess;
  timer: NodeJS.Timeout;
}

interface Waiter extends QueuedWaiter {
  resolve: () => void;
}

/**
 * The native `tesseract` program, at most `lanes` jobs at once: the same pixels, segmentation
 * mode, resolution and model as the wasm engine, for less CPU a page (docs/benchmarks.md). Pages
 * are read by long-lived processes, one per lane and per language set and segmentation mode
 * (NativeTesseractProcess), fed each page as a TIFF file in a temporary directory, so the model is
 * loaded once rather than once per page; with `--oem 1` Tesseract keeps nothing from one page to
 * the next (the words are those of a process per page). A process that times out, is aborted or
 * crashes is killed and the next page gets a fresh one; a process left idle is ended after a while.
 */
export class NativeTesseractRecognizer implements PageRecognizer {
  readonly engine: string;
  private readonly tessdata: NativeTessdataDir;
  private readonly waiters: Waiter[] = [];
  private readonly idle = new Map<string, IdleProcess[]>();
  private readonly running = new Set<NativeTesseractProcess>();
  private workDir: Promise<string> | null = null;
  private pageFiles = 0;
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

  /** Ends every process (a page being read fails) and removes the page files' directory. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('OCR engine closed'));
    for (const entries of this.idle.values()) for (const entry of entries) clearTimeout(entry.timer);
    this.idle.clear();
    const processes = [...this.running];
    this.running.clear();
    await Promise.all(processes.map((process) => process.kill()));
    const dir = await this.workDir?.catch(() => null);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /** The ids of the processes alive, idle or reading: for tests. */
  get processIds(): number[] {
    return [...this.running].flatMap((process) => (process.pid === undefined ? [] : [process.pid]));
  }

  private async read(
    image: GrayImage,
    plan: ResolutionPlan,
    languages: string[],
    tessdataDir: string,
    signal: AbortSignal | undefined,
  ): Promise<OcrWord[]> {
    const dpi = plan.effectiveDpi;
    const tsv =
      dpi >= MIN_CREDIBLE_DPI && dpi <= MAX_CREDIBLE_DPI
        ? await this.readStreamed(image, dpi, plan.psm, languages, tessdataDir, signal)
        : // A resolution the program would not believe from the file: given on its command line.
          await runNativeTesseract(this.program, toPgm(image), {
            tessdataDir,
            languages,
            psm: plan.psm,
            dpi,
            timeoutMs: this.options.timeoutMs,
            signal,
          });
    return tesseractWords(tsvBlocks(tsv), image.width, image.height);
  }

  private async readStreamed(
    image: GrayImage,
    dpi: number,
    psm: string,
    languages: string[],
    tessdataDir: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const dir = await this.directory();
    const file = join(dir, `page-${++this.pageFiles}.tif`);
    await writeGrayTiff(file, image, dpi);
    try {
      const key = `${languages.join('+')} ${psm} ${tessdataDir}`;
      const settings = { tessdataDir, languages, psm, sentinelPath: join(dir, 'blank.tif') };
      const taken = this.takeIdle(key);
      try {
        return await this.readWith(taken ?? this.start(settings), key, file, signal);
      } catch (error) {
        // A process that had read other pages may have died between them (the OOM killer), or
        // been left in a bad state by them: the page is tried once more on a fresh process, whose
        // failure is the page's own.
        if (!taken || signal?.aborted || this.closed || taken.timedOut) throw error;
        return await this.readWith(this.start(settings), key, file, signal);
      }
    } finally {
      await rm(file, { force: true });
    }
  }

  /** One page on `process`, kept for the next page of its kind if it read it, else killed. */
  private async readWith(
    process: NativeTesseractProcess,
    key: string,
    file: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    try {
      const tsv = await process.read(file, this.options.timeoutMs, signal);
      this.putIdle(key, process);
      return tsv;
    } catch (error) {
      this.end(process);
      throw error;
    }
  }

  private start(settings: NativeProcessSettings): NativeTesseractProcess {
    if (this.closed) throw new Error('OCR engine closed');
    const process = new NativeTesseractProcess(this.program, settings);
    this.running.add(process);
    void process.exited.then(() => this.running.delete(process));
    return process;
  }

  private takeIdle(key: string): NativeTesseractProcess | null {
    const entries = this.idle.get(key) ?? [];
    while (entries.length > 0) {
      const entry = entries.pop()!;
      clearTimeout(entry.timer);
      if (entry.process.alive) return entry.process;
    }
    return null;
  }

  /** Keeps a process for the next page of its kind: at most one a lane, each for a while. */
  private putIdle(key: string, process: NativeTesseractProcess): void {
    const entries = this.idle.get(key) ?? [];
    if (this.closed || !process.alive || entries.length >= this.options.lanes) {
      this.end(process);
      return;
    }
    const entry: IdleProcess = {
      process,
      timer: setTimeout(() => {
        const index = entries.indexOf(entry);
        if (index >= 0) entries.splice(index, 1);
        this.end(process);
      }, this.options.idleMs ?? DEFAULT_IDLE_MS),
    };
    // An idle process is no reason for Node to stay up.
    entry.timer.unref();
    entries.push(entry);
    this.idle.set(key, entries);
  }

  private end(process: NativeTesseractProcess): void {
    void process.kill();
  }

  /** The directory of the page files and of the blank sentinel page, made on first use. */
  private directory(): Promise<string> {
    if (!this.workDir) {
      this.workDir = (async () => {
        const dir = await mkdtemp(join(tmpdir(), 'recto-ocr-pages-'));
        // Blank: read in a few milliseconds, and it prints its page row only.
        const blank: GrayImage = { data: Buffer.alloc(16 * 16, 255), width: 16, height: 16 };
        await writeGrayTiff(join(dir, 'blank.tif'), blank, 300);
        return dir;
      })();
      // A failure (a full disk) is tried again by the next page rather than remembered.
      this.workDir.catch(() => (this.workDir = null));
    }
    return this.workDir;
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
