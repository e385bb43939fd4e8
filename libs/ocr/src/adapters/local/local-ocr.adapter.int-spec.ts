import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { DomainException, ErrorCode } from '@recto/common';
import { loadConfig, TestConfig } from '@recto/config';
import {
  describeWithDevScans,
  devScansDir,
  encryptedPdf,
  loadDevScans,
  pngPixelBomb,
  scoreOcrPage,
  TEST_PAGES_DIR,
  testPage,
} from '@recto/testing';
import type { OcrResult } from '../../ocr-result';
import { LocalOcrAdapter } from './local-ocr.adapter';

// Real OCR on 2 cores: a few seconds per page.
jest.setTimeout(120_000);
// `auto` (the default) reads with the native program where it is installed; RECTO_TEST_OCR_ENGINE=wasm runs the suite on tesseract.js.
const ENGINE = loadConfig(TestConfig).RECTO_TEST_OCR_ENGINE;
// Vendored test pages (test/fixtures/scans): three typeset English pages and a German book page.
const PAGES = ['synthetic_minutes', 'synthetic_invoice', 'synthetic_two_columns'];
const BEBEL = 'ocrd_gtst_bebel_frau_1879_0146';
const pagePath = (name: string) => join(TEST_PAGES_DIR, `${name}.png`);

describe('LocalOcrAdapter (real OCR)', () => {
  let adapter: LocalOcrAdapter;
  let dir: string;

  beforeAll(async () => {
    adapter = new LocalOcrAdapter({ languages: ['eng', 'deu'], poolSize: 2, engine: ENGINE });
    dir = await mkdtemp(join(tmpdir(), 'recto-ocr-int-'));
  });

  afterAll(async () => {
    await adapter.close();
    await rm(dir, { recursive: true, force: true });
  });

  const recognize = (filePath: string, mimeType: string, languages?: string[]) =>
    adapter.recognize({ documentId: 'doc', filePath, mimeType, languages });

  async function expectCode(promise: Promise<unknown>, code: ErrorCode) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainException);
    expect((error as DomainException).code).toBe(code);
    expect((error as DomainException).permanent).toBe(true);
    return error as DomainException;
  }

  it('reads a typeset page with word recall and boxes', async () => {
    const result = await recognize(pagePath(PAGES[0]), 'image/png', ['eng']);
    expect(result.provider).toBe('local');
    const [page] = result.pages;
    expect(page).toMatchObject({ number: 1, width: 1275, height: 1650, source: 'ocr' });
    const score = scoreOcrPage(testPage(PAGES[0]), page.words);
    expect(score.recall).toBeGreaterThanOrEqual(0.88);
    expect(score.iou50).toBeGreaterThanOrEqual(0.8);
    for (const word of page.words) {
      expect(word.polygon).toHaveLength(4);
      for (const [x, y] of word.polygon) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(1);
      }
      expect(word.content.trim()).toBe(word.content);
      expect(word.confidence).toBeGreaterThanOrEqual(0);
      expect(word.confidence).toBeLessThanOrEqual(1);
    }
  });

  describeWithDevScans('on real low-resolution forms', () => {
    it('reads a ~100 dpi FUNSD form with word recall and boxes', async () => {
      const name = 'funsd_82092117';
      const result = await recognize(join(devScansDir(), `${name}.png`), 'image/png', ['eng']);
      expect(result.pages[0]).toMatchObject({ number: 1, width: 754, height: 1000, source: 'ocr' });
      const score = scoreOcrPage(
        loadDevScans().find((s) => s.name === name)!,
        result.pages[0].words,
      );
      expect(score.recall).toBeGreaterThanOrEqual(0.88);
      expect(score.iou50).toBeGreaterThanOrEqual(0.8);
    });
  });

  it('reads a clean 600 dpi German book page', async () => {
    const result = await recognize(pagePath(BEBEL), 'image/png', ['deu']);
    const score = scoreOcrPage(testPage(BEBEL), result.pages[0].words);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.inLine).toBeGreaterThanOrEqual(0.95);
    const lines = result.pages[0].words.map((w) => w.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('reads every page of a multi-page TIFF', async () => {
    const file = join(dir, 'forms.tiff');
    await sharp(PAGES.map(pagePath), { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toFile(file);
    const result = await recognize(file, 'image/tiff', ['eng']);
    expect(result.pages.map((p) => p.number)).toEqual([1, 2, 3]);
    for (const [index, name] of PAGES.entries()) {
      const score = scoreOcrPage(testPage(name), result.pages[index].words);
      expect(score.recall).toBeGreaterThanOrEqual(0.75);
    }
  });

  it('reads only the pages not skipped (the others are imported), reporting progress over those', async () => {
    const file = join(dir, 'skipped.tiff');
    await sharp(PAGES.map(pagePath), { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toFile(file);
    const progress: [number, number][] = [];
    const result = await adapter.recognize({
      documentId: 'doc',
      filePath: file,
      mimeType: 'image/tiff',
      languages: ['eng'],
      skipPages: [1, 3],
      onProgress: (p) => progress.push([p.pageCount, p.pagesDone]),
    });
    expect(result.pages.map((p) => p.number)).toEqual([2]);
    expect(scoreOcrPage(testPage(PAGES[1]), result.pages[0].words).recall).toBeGreaterThanOrEqual(0.75);
    expect(progress).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it('OCRs the scanned pages of a multi-page PDF', async () => {
    const doc = await PDFDocument.create();
    for (const name of PAGES.slice(0, 2)) {
      const png = await doc.embedPng(await readFile(pagePath(name)));
      // 1275×1650 px drawn on a letter page: 150 dpi.
      doc.addPage([612, 792]).drawImage(png, { x: 0, y: 0, width: 612, height: 792 });
    }
    const file = join(dir, 'scans.pdf');
    await writeFile(file, await doc.save());
    const result = await recognize(file, 'application/pdf', ['eng']);
    expect(result.pages).toHaveLength(2);
    for (const [index, name] of PAGES.slice(0, 2).entries()) {
      const page = result.pages[index];
      expect(page.source).toBe('ocr');
      expect(page.width).toBeGreaterThan(2000);
      const score = scoreOcrPage(testPage(name), page.words);
      expect(score.recall).toBeGreaterThanOrEqual(0.8);
      expect(score.iou50).toBeGreaterThanOrEqual(0.75);
    }
  });

  it('takes the words of born-digital PDF pages from the text layer', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    const line = 'La société Müller, Straße 12';
    page.drawText(line, { x: 72, y: 700, size: 20, font });
    page.drawText('Second line of text', { x: 72, y: 670, size: 12, font });
    const rotated = doc.addPage([595, 842]);
    rotated.setRotation(degrees(90));
    rotated.drawText('Rotated page with enough characters', { x: 72, y: 700, size: 12, font });
    const file = join(dir, 'born-digital.pdf');
    await writeFile(file, await doc.save());

    const result = await recognize(file, 'application/pdf');
    const [first, second] = result.pages;
    expect(first).toMatchObject({ source: 'text-layer', width: 595, height: 842 });
    expect(first.words.map((w) => [w.content, w.line])).toEqual([
      ['La', 0],
      ['société', 0],
      ['Müller,', 0],
      ['Straße', 0],
      ['12', 0],
      ['Second', 1],
      ['line', 1],
      ['of', 1],
      ['text', 1],
    ]);
    // Each word's box against pdf-lib's own glyph metrics.
    for (const word of first.words.slice(0, 5)) {
      const start = line.indexOf(word.content);
      const x0 = 72 + font.widthOfTextAtSize(line.slice(0, start), 20);
      const x1 = x0 + font.widthOfTextAtSize(word.content, 20);
      const [[left, top], , [right, bottom]] = word.polygon;
      expect(Math.abs(left * 595 - x0)).toBeLessThan(2);
      expect(Math.abs(right * 595 - x1)).toBeLessThan(2);
      expect(top * 842).toBeGreaterThan(842 - 700 - 20);
      expect(top * 842).toBeLessThan(842 - 700 - 10);
      expect(bottom * 842).toBeGreaterThan(842 - 700);
      expect(bottom * 842).toBeLessThan(842 - 700 + 8);
      expect(word.confidence).toBeNull();
    }
    // Rotated 90° clockwise for display: the page is landscape and the text runs downwards.
    expect(second).toMatchObject({ source: 'text-layer', width: 842, height: 595 });
    const [topLeft, , bottomRight] = second.words[0].polygon;
    expect(bottomRight[1]).toBeGreaterThan(topLeft[1]);
    expect(second.words.map((w) => w.content).join(' ')).toBe('Rotated page with enough characters');
  });

  describe('bad input', () => {
    it('rejects an empty file', async () => {
      const file = join(dir, 'empty.pdf');
      await writeFile(file, '');
      const error = await expectCode(recognize(file, 'application/pdf'), ErrorCode.UnreadableFile);
      expect(error.message).toMatch(/empty/);
    });

    it('rejects a text file claimed to be a PDF', async () => {
      const file = join(dir, 'notes.pdf');
      await writeFile(file, 'just some notes\n');
      const error = await expectCode(recognize(file, 'application/pdf'), ErrorCode.UnreadableFile);
      expect(error.message).toMatch(/not a valid PDF/);
    });

    it('rejects a truncated PDF', async () => {
      const doc = await PDFDocument.create();
      doc.addPage().drawImage(await doc.embedPng(await readFile(pagePath(PAGES[0]))));
      const bytes = await doc.save();
      const file = join(dir, 'truncated.pdf');
      await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await expectCode(recognize(file, 'application/pdf'), ErrorCode.UnreadableFile);
    });

    it('rejects a corrupt image', async () => {
      const png = await readFile(pagePath(PAGES[0]));
      const file = join(dir, 'truncated.png');
      await writeFile(file, png.subarray(0, Math.floor(png.length / 2)));
      await expectCode(recognize(file, 'image/png'), ErrorCode.UnreadableFile);
    });

    it('rejects a 30000×30000 PNG from its header, fast', async () => {
      const file = join(dir, 'bomb.png');
      await writeFile(file, pngPixelBomb(30000, 30000));
      const started = Date.now();
      const error = await expectCode(recognize(file, 'image/png'), ErrorCode.ImageTooLarge);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error.message).toMatch(/30000×30000/);
    });

    it('rejects an encrypted PDF', async () => {
      const file = join(dir, 'encrypted.pdf');
      await writeFile(file, encryptedPdf());
      const error = await expectCode(recognize(file, 'application/pdf'), ErrorCode.EncryptedPdf);
      expect(error.message).toMatch(/password/);
    });

    it('rejects documents with too many pages', async () => {
      const small = new LocalOcrAdapter({ languages: ['eng'], poolSize: 1, maxPages: 2, engine: ENGINE });
      const tiff = join(dir, 'three.tiff');
      await sharp(PAGES.map(pagePath), { join: { animated: true } })
        .tiff()
        .toFile(tiff);
      const doc = await PDFDocument.create();
      for (let i = 0; i < 3; i++) doc.addPage();
      const pdf = join(dir, 'three.pdf');
      await writeFile(pdf, await doc.save());
      try {
        await expectCode(
          small.recognize({ documentId: 'd', filePath: tiff, mimeType: 'image/tiff' }),
          ErrorCode.TooManyPages,
        );
        await expectCode(
          small.recognize({ documentId: 'd', filePath: pdf, mimeType: 'application/pdf' }),
          ErrorCode.TooManyPages,
        );
      } finally {
        await small.close();
      }
    });
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    const pending: Promise<OcrResult> = adapter.recognize({
      documentId: 'doc',
      filePath: pagePath(BEBEL),
      mimeType: 'image/png',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled')), 500);
    await expect(pending).rejects.toThrow('cancelled');
    // The pool replaces the abandoned worker and keeps serving.
    const after = await recognize(pagePath(PAGES[1]), 'image/png', ['eng']);
    expect(after.pages[0].words.length).toBeGreaterThan(50);
  });

  it('names the installed languages when asked for a missing one', () => {
    expect(() => new LocalOcrAdapter({ languages: ['eng', 'xyz'] })).toThrow(
      /xyz not installed.*installed: .*deu, eng/,
    );
  });
});
