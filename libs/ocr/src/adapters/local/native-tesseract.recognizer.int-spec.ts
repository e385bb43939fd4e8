import { DomainException, ErrorCode } from '@recto/common';
import { iou, polygonToBox, scoreOcrPage, TEST_PAGES_DIR, testPage } from '@recto/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcrWord } from '../../ocr-result';
import { writeGrayTiff } from './gray-tiff';
import { openImageSource } from './image-page-source';
import { LocalOcrAdapter } from './local-ocr.adapter';
import { NativeTessdataDir } from './native-tessdata';
import { NativeTesseractProcess } from './native-tesseract.process';
import { findNativeTesseract, MIN_NATIVE_TESSERACT_MAJOR, runNativeTesseract } from './native-tesseract.program';
import { NativeTesseractRecognizer } from './native-tesseract.recognizer';
import { toPgm, type GrayImage } from './page-source';
import { SegmentationMode, type ResolutionPlan } from './resolution';
import { tesseractWords } from './tesseract-words';
import { tsvBlocks } from './tesseract-tsv';

const LIMITS = { maxPages: 1, maxPixels: 100_000_000 };

// Real OCR of two pages with each engine: tens of seconds on a busy 2-core machine.
jest.setTimeout(300_000);

const program = findNativeTesseract();
const installed = program !== null && program.major >= MIN_NATIVE_TESSERACT_MAJOR;
const describeNative = installed ? describe : describe.skip;
const reason = installed
  ? ''
  : ` [needs the tesseract program ≥ ${MIN_NATIVE_TESSERACT_MAJOR} on the PATH: apt-get install tesseract-ocr]`;

// Vendored test pages (test/fixtures/scans): a typeset English page and a German book page (600 dpi).
const PAGES = [
  { name: 'synthetic_minutes', languages: ['eng'] },
  { name: 'ocrd_gtst_bebel_frau_1879_0146', languages: ['deu'] },
];

/** Words of `a` that `b` also read: same text, box overlapping by IoU ≥ 0.8 (pixel-exact is not asked). */
function matched(a: OcrWord[], b: OcrWord[]): number {
  const box = (w: OcrWord) => polygonToBox(w.polygon as [number, number][], 1000, 1000);
  const left = [...b];
  let count = 0;
  for (const word of a) {
    const i = left.findIndex((o) => o.content === word.content && iou(box(o), box(word)) >= 0.8);
    if (i >= 0) {
      left.splice(i, 1);
      count++;
    }
  }
  return count;
}

const meanConfidence = (words: OcrWord[]) => words.reduce((sum, w) => sum + (w.confidence ?? 0), 0) / words.length;

describeNative(`the native tesseract engine${reason}`, () => {
  let native: LocalOcrAdapter;
  let wasm: LocalOcrAdapter;

  beforeAll(() => {
    native = new LocalOcrAdapter({ languages: ['eng', 'deu'], poolSize: 2, engine: 'native' });
    wasm = new LocalOcrAdapter({ languages: ['eng', 'deu'], poolSize: 2, engine: 'wasm' });
  });

  afterAll(async () => {
    await Promise.all([native?.close(), wasm?.close()]);
  });

  /** How long the native engine took to read each page in full (the abort test's yardstick). */
  const fullReadMs = new Map<string, number>();

  const read = (adapter: LocalOcrAdapter, name: string, languages: string[], signal?: AbortSignal) =>
    adapter.recognize({
      documentId: name,
      filePath: join(TEST_PAGES_DIR, `${name}.png`),
      mimeType: 'image/png',
      languages,
      signal,
    });

  it('says which program reads the pages', () => {
    expect(native.engine).toBe(`native (tesseract ${program!.version})`);
    expect(wasm.engine).toMatch(/^wasm \(tesseract\.js \d/);
  });

  it.each(PAGES)('reads $name with the words, boxes, lines and confidences of the wasm engine', async (page) => {
    const started = Date.now();
    const a = await read(native, page.name, page.languages);
    fullReadMs.set(page.name, Date.now() - started);
    const b = await read(wasm, page.name, page.languages);
    const [n, w] = [a.pages[0], b.pages[0]];
    expect({ width: n.width, height: n.height, turn: n.turn, upscale: n.upscale }).toEqual({
      width: w.width,
      height: w.height,
      turn: w.turn,
      upscale: w.upscale,
    });
    // The same LSTM on the same pixels; the native build's integer arithmetic can tip a few words.
    const both = matched(n.words, w.words);
    expect(both / Math.max(n.words.length, w.words.length)).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(n.words.length - w.words.length)).toBeLessThanOrEqual(Math.ceil(0.02 * w.words.length));
    expect(Math.abs(meanConfidence(n.words) - meanConfidence(w.words))).toBeLessThan(0.02);
    expect(n.words.at(-1)!.line).toBe(w.words.at(-1)!.line);
    // Whole percents, as tesseract.js reports them.
    for (const word of n.words) expect(word.confidence! * 100 - Math.round(word.confidence! * 100)).toBeCloseTo(0, 6);
    // And as good against the ground truth.
    const [sn, sw] = [scoreOcrPage(testPage(page.name), n.words), scoreOcrPage(testPage(page.name), w.words)];
    expect(sn.recall).toBeGreaterThanOrEqual(sw.recall - 0.01);
  });

  it('stops reading when the job is aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    const started = Date.now();
    const reading = read(native, PAGES[1].name, ['deu'], controller.signal);
    setTimeout(() => controller.abort(reason), 300);
    await expect(reading).rejects.toBe(reason);
    // Well before the reading would have finished (the program is killed, not waited for).
    expect(Date.now() - started).toBeLessThan(Math.max(1_000, 0.8 * fullReadMs.get(PAGES[1].name)!));
  });

  it('fails a reading that overruns its timeout as transient, saying so', async () => {
    const hasty = new LocalOcrAdapter({ languages: ['deu'], poolSize: 1, engine: 'native', pageTimeoutMs: 1 });
    try {
      const error = await read(hasty, PAGES[1].name, ['deu']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainException);
      expect(error).toMatchObject({ code: ErrorCode.OcrFailed, permanent: false });
      expect((error as Error).message).toMatch(/did not finish within/);
    } finally {
      await hasty.close();
    }
  });
});

describeNative(`the long-lived native tesseract processes${reason}`, () => {
  let tessdataDir: string;
  let strip: GrayImage;
  let plan: ResolutionPlan;
  const cacheDir = join(tmpdir(), 'recto-tessdata');
  const options = { lanes: 2, model: 'best_int' as const, languages: ['eng', 'deu'], cacheDir, timeoutMs: 120_000 };

  beforeAll(async () => {
    tessdataDir = await new NativeTessdataDir('best_int', ['eng', 'deu'], cacheDir).path(['eng', 'deu']);
    // The top of a typeset page (its heading and first paragraphs): a few dozen words, read fast.
    const page = await (await openImageSource(join(TEST_PAGES_DIR, 'synthetic_minutes.png'), LIMITS)).page(0);
    if (page.kind !== 'raster') throw new Error('expected a raster page');
    const image = await page.render();
    const rows = Math.round(image.height / 4);
    strip = { data: image.data.subarray(0, rows * image.width), width: image.width, height: rows };
    plan = page.plan;
  });

  /** The words of one process per reading (the program as the bench's baseline runs it). */
  const perPage = async (languages: string[], psm: SegmentationMode) => {
    const tsv = await runNativeTesseract(program!, toPgm(strip), {
      tessdataDir,
      languages,
      psm,
      dpi: plan.effectiveDpi,
      timeoutMs: 120_000,
    });
    return tesseractWords(tsvBlocks(tsv), strip.width, strip.height);
  };
  const streamed = (recognizer: NativeTesseractRecognizer, languages: string[], psm: SegmentationMode) =>
    recognizer.run(languages, (read) => read(strip, { ...plan, psm }));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('reads pages with the words of a process per page, keeping one process per languages and psm', async () => {
    // None ended for idling while the others read (a minute or two on a loaded machine).
    const recognizer = new NativeTesseractRecognizer(program!, { ...options, idleMs: 600_000 });
    try {
      const keys: [string[], SegmentationMode][] = [
        [['eng'], SegmentationMode.SparseText],
        [['eng'], SegmentationMode.Auto],
        [['eng', 'deu'], SegmentationMode.SparseText],
      ];
      for (const [languages, psm] of keys) {
        const expected = await perPage(languages, psm);
        expect(expected.length).toBeGreaterThan(20);
        // Twice: the second page goes to the process the first one started.
        expect(await streamed(recognizer, languages, psm)).toEqual(expected);
        const pids = recognizer.processIds;
        expect(await streamed(recognizer, languages, psm)).toEqual(expected);
        expect(recognizer.processIds).toEqual(pids);
      }
      expect(recognizer.processIds).toHaveLength(keys.length);
      // Two pages at once of the same kind: two processes.
      const [a, b] = await Promise.all([1, 2].map(() => streamed(recognizer, ['eng'], SegmentationMode.SparseText)));
      expect(b).toEqual(a);
      expect(recognizer.processIds).toHaveLength(keys.length + 1);
    } finally {
      await recognizer.close();
    }
  });

  it('ends its processes on close() and those left idle after a while', async () => {
    const recognizer = new NativeTesseractRecognizer(program!, { ...options, idleMs: 300 });
    await streamed(recognizer, ['eng'], SegmentationMode.SparseText);
    const [pid] = recognizer.processIds;
    expect(alive(pid)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(recognizer.processIds).toEqual([]);
    expect(alive(pid)).toBe(false);

    await streamed(recognizer, ['eng'], SegmentationMode.Auto);
    const pids = recognizer.processIds;
    expect(pids).toHaveLength(1);
    await recognizer.close();
    expect(recognizer.processIds).toEqual([]);
    expect(pids.filter(alive)).toEqual([]);
    await expect(streamed(recognizer, ['eng'], SegmentationMode.Auto)).rejects.toThrow(/closed/);
  });

  it('kills the process of an aborted or overrun reading, and reads the next page with a fresh one', async () => {
    const recognizer = new NativeTesseractRecognizer(program!, options);
    try {
      const expected = await perPage(['eng'], SegmentationMode.SparseText);
      await streamed(recognizer, ['eng'], SegmentationMode.SparseText);
      const [warm] = recognizer.processIds;
      const controller = new AbortController();
      const stop = new Error('stop now');
      const reading = recognizer.run(['eng'], (read) => read(strip, plan), controller.signal);
      setTimeout(() => controller.abort(stop), 50);
      await expect(reading).rejects.toBe(stop);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(alive(warm)).toBe(false);
      expect(await streamed(recognizer, ['eng'], SegmentationMode.SparseText)).toEqual(expected);
    } finally {
      await recognizer.close();
    }

    const hasty = new NativeTesseractRecognizer(program!, { ...options, timeoutMs: 1 });
    try {
      const error = await streamed(hasty, ['eng'], SegmentationMode.SparseText).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainException);
      expect(error).toMatchObject({ code: ErrorCode.OcrFailed, permanent: false });
      expect((error as Error).message).toMatch(/did not finish within 0.001 s/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(hasty.processIds).toEqual([]);
    } finally {
      await hasty.close();
    }
  });

  it('reads on after a process dies between pages or crashes on a page it was handed after others', async () => {
    const recognizer = new NativeTesseractRecognizer(program!, { ...options, lanes: 1 });
    try {
      const expected = await perPage(['eng'], SegmentationMode.SparseText);
      await streamed(recognizer, ['eng'], SegmentationMode.SparseText);
      // Killed from outside while idle (the OOM killer), the page after it not waiting for the news.
      process.kill(recognizer.processIds[0], 'SIGKILL');
      expect(await streamed(recognizer, ['eng'], SegmentationMode.SparseText)).toEqual(expected);
      // A reused process crashing mid-page: the page is read again by a fresh process.
      const [reused] = recognizer.processIds;
      const reading = streamed(recognizer, ['eng'], SegmentationMode.SparseText);
      setTimeout(() => process.kill(reused, 'SIGSEGV'), 50);
      expect(await reading).toEqual(expected);
      expect(recognizer.processIds).not.toContain(reused);
    } finally {
      await recognizer.close();
    }
  });

  it('fails a page that crashes a fresh process as permanent, saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recto-native-process-'));
    const child = new NativeTesseractProcess(program!, {
      tessdataDir,
      languages: ['eng'],
      psm: SegmentationMode.SparseText,
      sentinelPath: join(dir, 'blank.tif'),
    });
    try {
      await writeGrayTiff(join(dir, 'page.tif'), strip, plan.effectiveDpi);
      const reading = child.read(join(dir, 'page.tif'), 120_000);
      setTimeout(() => process.kill(child.pid!, 'SIGSEGV'), 50);
      const error = await reading.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainException);
      expect(error).toMatchObject({ code: ErrorCode.OcrFailed, permanent: true });
      expect((error as Error).message).toMatch(/was ended by SIGSEGV/);
      await expect(child.read(join(dir, 'page.tif'), 120_000)).rejects.toMatchObject({ permanent: true });
    } finally {
      await child.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('finding the native program', () => {
  it('reports none where there is no such program', () => {
    expect(findNativeTesseract('/nonexistent/tesseract')).toBeNull();
  });
});
