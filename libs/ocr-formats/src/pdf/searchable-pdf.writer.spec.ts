import { hasTool, iou, pdfTextLayout, polygonToBox } from '@recto/testing';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { samplePage, SAMPLE_META } from '../writing/sample-pages.fixture';
import { SearchablePdfWriter } from './searchable-pdf.writer';

const WIDTH_PT = 480;
const HEIGHT_PT = 672;

async function build() {
  const page = samplePage(1);
  page.words.push(
    {
      content: 'Ελλάδα',
      line: 4,
      confidence: 0.9,
      polygon: [
        [0.1, 0.6],
        [0.25, 0.6],
        [0.25, 0.62],
        [0.1, 0.62],
      ],
    },
    {
      content: 'Москва',
      line: 4,
      confidence: 0.9,
      polygon: [
        [0.27, 0.6],
        [0.42, 0.6],
        [0.42, 0.62],
        [0.27, 0.62],
      ],
    },
  );
  const image = await sharp({ create: { width: 1000, height: 1400, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const writer = await SearchablePdfWriter.create(SAMPLE_META);
  await writer.addPage({
    widthPt: WIDTH_PT,
    heightPt: HEIGHT_PT,
    image: { data: image, type: 'png' },
    words: page.words,
  });
  await writer.addPage({ widthPt: 200, heightPt: 100, image: { data: image, type: 'png' }, words: [] });
  return { words: page.words, pdf: await writer.save() };
}

const withPoppler = hasTool('pdftotext') && hasTool('pdftoppm');
if (!withPoppler)
  console.warn('pdftotext/pdftoppm (Debian poppler-utils) are not installed: searchable PDF checks skipped');

(withPoppler ? describe : describe.skip)('SearchablePdfWriter', () => {
  let built: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    built = await build();
  });

  it('has a page per input page at the given size', () => {
    const layout = pdfTextLayout(built.pdf);
    expect(layout.pages).toEqual([
      { width: WIDTH_PT, height: HEIGHT_PT },
      { width: 200, height: 100 },
    ]);
  });

  it('places every word on its polygon, as poppler sees it (IoU ≥ 0.9), in reading order', () => {
    const turned = built.words.find((w) => w.content === 'schräg')!;
    const [x0, y0, x1, y1] = polygonToBox(turned.polygon, WIDTH_PT, HEIGHT_PT);
    const inTurned = (f: { xMin: number; yMin: number; xMax: number; yMax: number }) =>
      f.xMin >= x0 - 1 && f.xMax <= x1 + 1 && f.yMin >= y0 - 1 && f.yMax <= y1 + 1;
    const all = pdfTextLayout(built.pdf).words;
    // poppler reads a turned word's letters as pieces along their own baseline; all of them are in its polygon.
    expect(
      all
        .filter(inTurned)
        .map((f) => f.text)
        .sort()
        .join(''),
    ).toBe(['g', 'schrä'].join(''));
    const found = all.filter((f) => !inTurned(f));
    const upright = built.words.filter((w) => w !== turned);
    expect(found.map((w) => w.text)).toEqual(upright.map((w) => w.content));
    for (const word of upright) {
      const match = found.find((f) => f.text === word.content)!;
      const overlap = iou(polygonToBox(word.polygon, WIDTH_PT, HEIGHT_PT), [
        match.xMin,
        match.yMin,
        match.xMax,
        match.yMax,
      ]);
      expect({ word: word.content, overlap: overlap >= 0.9 }).toEqual({ word: word.content, overlap: true });
    }
  });

  it('keeps historical and non-Latin letters copyable', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: built.pdf, encoding: 'utf8' });
    // poppler joins a word hyphenated at a line end, as the index does.
    for (const expected of ['Die Geſellſchaft', 'größer', 'Ελλάδα Москва', 'A&B entstehen'])
      expect(text).toContain(expected);
  });

  it('paints nothing of the text: the page renders as its image alone', async () => {
    const png = execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', '-'], {
      input: built.pdf,
    });
    const stats = await sharp(png).stats();
    // Painted glyphs would be black; resampling the white image at the page edge leaves 254.
    for (const channel of stats.channels) expect(channel.min).toBeGreaterThanOrEqual(250);
  });
});
