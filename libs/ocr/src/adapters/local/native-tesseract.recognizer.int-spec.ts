import { DomainException, ErrorCode } from '@recto/common';
import { iou, polygonToBox, scoreOcrPage, TEST_PAGES_DIR, testPage } from '@recto/testing';
import { join } from 'node:path';
import type { OcrWord } from '../../ocr-result';
import { LocalOcrAdapter } from './local-ocr.adapter';
import { findNativeTesseract, MIN_NATIVE_TESSERACT_MAJOR } from './native-tesseract.program';

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

describe('finding the native program', () => {
  it('reports none where there is no such program', () => {
    expect(findNativeTesseract('/nonexistent/tesseract')).toBeNull();
  });
});
