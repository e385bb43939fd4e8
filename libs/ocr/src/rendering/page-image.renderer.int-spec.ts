/**
 * Page images against what the OCR saw: the same file through LocalOcrAdapter and through
 * PageImageRenderer must agree on geometry, so that word polygons land on the words at any width,
 * also for EXIF-rotated photos and PDF pages with /Rotate.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { degrees, PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { grayPixels, inkIn, TEST_PAGES_DIR } from '@recto/testing';
import { LocalOcrAdapter } from '../adapters/local/local-ocr.adapter';
import type { OcrPage } from '../ocr-result';
import { PageImageRenderer } from './page-image.renderer';

const SCAN = join(TEST_PAGES_DIR, 'synthetic_invoice.png');
jest.setTimeout(180_000);

let dir: string;
let adapter: LocalOcrAdapter;
const renderer = new PageImageRenderer();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recto-render-'));
  adapter = new LocalOcrAdapter({ languages: ['eng'], poolSize: 1 });
});

afterAll(async () => {
  await adapter.close();
  await rm(dir, { recursive: true, force: true });
});

async function expectWordsOnInk(filePath: string, mimeType: string, page: OcrPage) {
  const words = page.words.filter((w) => /^[a-z]{4,}$/i.test(w.content) && (w.confidence ?? 1) > 0.8);
  expect(words.length).toBeGreaterThan(10);
  for (const width of [320, 1200]) {
    const rendered = await renderer.render({
      filePath,
      mimeType,
      page: page.number,
      width,
      format: 'png',
      turn: page.turn,
    });
    expect(rendered.width).toBe(width);
    // Same aspect ratio as the page the polygons are relative to.
    expect(rendered.height / rendered.width).toBeCloseTo(page.height! / page.width!, 2);
    const image = await grayPixels(rendered.data);
    const onInk = words.filter((w) => inkIn(image, w.polygon) > 0.04).length;
    expect(onInk / words.length).toBeGreaterThanOrEqual(0.95);
    // The same boxes moved by a line's height land mostly on paper: the check above is not trivially true.
    const shifted = words.filter((w) => {
      const h = Math.max(...w.polygon.map((p) => p[1])) - Math.min(...w.polygon.map((p) => p[1]));
      return (
        inkIn(
          image,
          w.polygon.map(([x, y]) => [x, y + 1.6 * h] as [number, number]),
        ) > 0.04
      );
    }).length;
    expect(shifted / words.length).toBeLessThan(onInk / words.length);
  }
}

it('renders an EXIF-rotated photo upright, as the OCR read it, at any width', async () => {
  // Stored sideways with orientation 6 ("turn 90° clockwise to view"): upright it is the scan.
  const path = join(dir, 'sideways.jpg');
  await writeFile(
    path,
    await sharp(SCAN).rotate(270).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer(),
  );
  const rendered = await renderer.render({
    filePath: path,
    mimeType: 'image/jpeg',
    page: 1,
    width: 640,
    format: 'png',
  });
  const expected = await grayPixels(await sharp(SCAN).resize({ width: 640 }).png().toBuffer());
  const actual = await grayPixels(rendered.data);
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  let diff = 0;
  for (let i = 0; i < actual.pixels.length; i++) diff += Math.abs(actual.pixels[i] - expected.pixels[i]);
  expect(diff / actual.pixels.length).toBeLessThan(12);

  const ocr = await adapter.recognize({ documentId: 'd', filePath: path, mimeType: 'image/jpeg' });
  await expectWordsOnInk(path, 'image/jpeg', ocr.pages[0]);
});

it('renders a scanned PDF page with /Rotate as the OCR read it, at any width', async () => {
  const pdf = await PDFDocument.create();
  const png = await pdf.embedPng(await sharp(SCAN).rotate(270).png().toBuffer());
  // The scan lies sideways on a landscape page that /Rotate 90 turns upright.
  const page = pdf.addPage([png.width * 0.96, png.height * 0.96]);
  page.drawImage(png, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  page.setRotation(degrees(90));
  const path = join(dir, 'rotated.pdf');
  await writeFile(path, await pdf.save());
  const ocr = await adapter.recognize({ documentId: 'd', filePath: path, mimeType: 'application/pdf' });
  expect(ocr.pages[0].source).toBe('ocr');
  expect(ocr.pages[0].height!).toBeGreaterThan(ocr.pages[0].width!);
  await expectWordsOnInk(path, 'application/pdf', ocr.pages[0]);
});

it('renders a TIFF page by its number, as WebP by default', async () => {
  const scan = await sharp(SCAN).png().toBuffer();
  const { width, height } = await sharp(scan).metadata();
  const blank = await sharp({ create: { width: width!, height: height!, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  const path = join(dir, 'two.tif');
  await sharp([blank, scan], { join: { animated: true } })
    .tiff({ compression: 'lzw' })
    .toFile(path);
  const darkness = async (n: number) => {
    const out = await renderer.render({ filePath: path, mimeType: 'image/tiff', page: n, width: 200, format: 'webp' });
    expect(out.mimeType).toBe('image/webp');
    expect((await sharp(out.data).metadata()).format).toBe('webp');
    const { channels } = await sharp(out.data).stats();
    return 255 - channels[0].mean;
  };
  expect(await darkness(1)).toBeLessThan(1);
  expect(await darkness(2)).toBeGreaterThan(5);
});
