/**
 * Writes the synthetic test pages of test/fixtures/scans: English pages typeset with pdf-lib's
 * standard fonts, rasterised by Recto's own page renderer, then roughened like a scan (blur, grey
 * paper, noise). Every word's ground-truth box is the ink inside the box the layout gave it, so it
 * is as tight as a hand-drawn box. The files are committed; run this only to change them:
 *   npx tsx scripts/make-test-pages.ts
 */
import { PageImageRenderer } from '@recto/ocr';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PDFDocument, PDFFont, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';

const OUT = resolve(__dirname, '..', 'test', 'fixtures', 'scans');
const PAGE_W = 612;
const PAGE_H = 792;
const RENDER_WIDTH = 1275; // 150 dpi for a Letter page

interface LaidWord {
  text: string;
  /** PDF points, origin top-left: [x0, top, x1, bottom] of the line box the word sits in. */
  box: [number, number, number, number];
}

interface PageSpec {
  name: string;
  font: StandardFonts;
  lay(page: Typesetter): void;
}

class Typesetter {
  readonly words: LaidWord[] = [];
  constructor(
    private readonly page: ReturnType<PDFDocument['addPage']>,
    private readonly font: PDFFont,
  ) {}

  /** Sets `text` from (x, top) in a column `width` wide; returns the top of the next line. */
  paragraph(text: string, x: number, top: number, width: number, size: number, leading = 1.35): number {
    const space = this.font.widthOfTextAtSize(' ', size);
    let cx = x;
    let line = top;
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const w = this.font.widthOfTextAtSize(word, size);
      if (cx > x && cx + w > x + width) {
        cx = x;
        line += size * leading;
      }
      this.word(word, cx, line, size);
      cx += w + space;
    }
    return line + size * leading;
  }

  word(text: string, x: number, top: number, size: number): void {
    const ascent = this.font.heightAtSize(size, { descender: false });
    const full = this.font.heightAtSize(size);
    const baseline = top + ascent;
    this.page.drawText(text, { x, y: PAGE_H - baseline, size, font: this.font, color: rgb(0.08, 0.08, 0.1) });
    const w = this.font.widthOfTextAtSize(text, size);
    this.words.push({ text, box: [x, top, x + w, top + full] });
  }

  /** One table row: each cell's words from its column's left edge. */
  cells(row: string[], columns: number[], top: number, size: number): void {
    const space = this.font.widthOfTextAtSize(' ', size);
    row.forEach((cell, j) => {
      let x = columns[j];
      for (const w of cell.split(' ')) {
        this.word(w, x, top, size);
        x += this.font.widthOfTextAtSize(w, size) + space;
      }
    });
  }

  rule(x0: number, y: number, x1: number): void {
    this.page.drawLine({ start: { x: x0, y: PAGE_H - y }, end: { x: x1, y: PAGE_H - y }, thickness: 0.8 });
  }
}

const PROSE = [
  'The committee met on Tuesday morning to review the annual report of the harbour authority.',
  'Members discussed the maintenance of the northern breakwater, the dredging of the channel and',
  'the purchase of two pilot boats. The treasurer presented accounts showing a modest surplus,',
  'largely owing to increased tonnage from the timber trade and the new ferry service to Kingsport.',
  'After some debate the committee resolved to defer the lighthouse renovation until spring, when',
  'contractors would be available and the weather more favourable for work on the exposed rock.',
].join(' ');

const SPECS: PageSpec[] = [
  {
    name: 'synthetic_minutes',
    font: StandardFonts.TimesRoman,
    lay(t) {
      t.word('HARBOUR', 72, 60, 20);
      t.word('AUTHORITY', 190, 60, 20);
      let y = t.paragraph('Minutes of the meeting held at the Custom House, 14 March 1961', 72, 100, 468, 12);
      y = t.paragraph(PROSE, 72, y + 14, 468, 11);
      y = t.paragraph(
        'Present: Mr. Albright (chair), Mrs. Okafor, Dr. Lindqvist, Mr. Petrakis and the secretary. ' +
          'Apologies were received from Captain Moreau, who was at sea aboard the survey vessel Osprey.',
        72,
        y + 14,
        468,
        11,
      );
      t.paragraph(
        'Resolution: the secretary will write to the ministry requesting a grant toward the breakwater ' +
          'repairs, enclosing the engineer’s estimate and photographs of the storm damage of January.',
        72,
        y + 14,
        468,
        11,
      );
    },
  },
  {
    name: 'synthetic_invoice',
    font: StandardFonts.Helvetica,
    lay(t) {
      t.word('INVOICE', 72, 64, 22);
      t.paragraph('Northwind Provisions Ltd, 22 Quayside Road, Bridgewater', 72, 100, 468, 10);
      const fields = [
        ['Invoice', 'number:', 'NW-40871'],
        ['Date:', 'September', '9, 1994'],
        ['Customer:', 'Montgomery', 'Hardware'],
        ['Terms:', 'thirty', 'days'],
      ];
      fields.forEach((f, i) => t.cells(f, [72, 182, 292], 140 + i * 20, 11));
      t.rule(72, 232, 540);
      const rows = [
        ['Item', 'Description', 'Quantity', 'Amount'],
        ['1001', 'Galvanised nails', '40', '118.00'],
        ['1002', 'Copper tubing', '12', '264.50'],
        ['1003', 'Pine shelving', '8', '96.40'],
        ['1004', 'Brass hinges', '150', '87.75'],
        ['1005', 'Linseed varnish', '6', '41.10'],
      ];
      const cols = [72, 140, 330, 440];
      rows.forEach((r, i) => t.cells(r, cols, 244 + i * 22, 11));
      t.rule(72, 380, 540);
      t.word('Total', 330, 392, 12);
      t.word('607.75', 440, 392, 12);
      t.paragraph('Please remit payment to the account printed overleaf. Thank you for your custom.', 72, 440, 468, 10);
    },
  },
  {
    name: 'synthetic_two_columns',
    font: StandardFonts.TimesRoman,
    lay(t) {
      t.word('Agricultural', 72, 60, 18);
      t.word('Survey', 190, 60, 18);
      const left =
        'Rainfall in the western districts was well above the average of the previous decade, and ' +
        'farmers reported excellent yields of barley and oats. Orchards suffered from late frost, ' +
        'however, and the apple harvest fell by nearly a third. Livestock prices remained steady.';
      const right =
        'In the eastern valleys drought reduced the hay crop considerably. Several cooperatives ' +
        'arranged to buy fodder from neighbouring provinces, and the irrigation scheme at Wexcombe ' +
        'was extended by eleven miles of new channels completed before the summer.';
      t.paragraph(left, 72, 100, 220, 11);
      t.paragraph(right, 320, 100, 220, 11);
    },
  },
  {
    name: 'synthetic_letter',
    font: StandardFonts.Helvetica,
    lay(t) {
      let y = t.paragraph('Dear Professor Whitcombe,', 72, 90, 468, 12);
      y = t.paragraph(
        'Thank you for your letter concerning the manuscripts held in our reading room. The collection ' +
          'of correspondence between the shipbuilder Tobias Renwick and his suppliers has been catalogued, ' +
          'and the volumes covering the years eighteen forty to eighteen sixty are available for consultation ' +
          'by appointment. Photographic copies can be ordered through the archivist.',
        72,
        y + 12,
        468,
        12,
      );
      y = t.paragraph('Yours sincerely,', 72, y + 24, 468, 12);
      t.paragraph('Eleanor Fairbanks, Keeper of Manuscripts', 72, y + 30, 468, 12);
    },
  },
];

/** The ink inside a word's layout box (in pixels), so ground truth hugs the glyphs. */
function inkBox(
  gray: Buffer,
  width: number,
  height: number,
  [x0, y0, x1, y1]: [number, number, number, number],
): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++) {
      if (gray[y * width + x] < 128) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  if (maxX < 0) throw new Error('a laid-out word left no ink');
  return [minX, minY, maxX + 1, maxY + 1];
}

async function makePage(spec: PageSpec, work: string): Promise<void> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([PAGE_W, PAGE_H]);
  const t = new Typesetter(page, await pdf.embedFont(spec.font));
  spec.lay(t);
  const pdfPath = join(work, `${spec.name}.pdf`);
  await writeFile(pdfPath, await pdf.save());
  const rendered = await new PageImageRenderer().render({
    filePath: pdfPath,
    mimeType: 'application/pdf',
    page: 1,
    width: RENDER_WIDTH,
    format: 'png',
  });
  const { width, height } = rendered;
  const clean = await sharp(rendered.data).greyscale().raw().toBuffer();
  const scale = width / PAGE_W;
  const words = t.words.map((w) => ({
    text: w.text,
    bbox: inkBox(clean, width, height, [
      w.box[0] * scale - 1,
      w.box[1] * scale - 1,
      w.box[2] * scale + 1,
      w.box[3] * scale + 1,
    ]),
  }));
  // Scanner look: a little blur, grey paper, deterministic speckle.
  let seed = spec.name.length * 7919;
  const noisy = Buffer.from(clean);
  for (let i = 0; i < noisy.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const jitter = (seed % 41) - 20;
    noisy[i] = Math.max(0, Math.min(255, Math.round(noisy[i] * 0.92 + jitter * 0.6)));
  }
  await sharp(noisy, { raw: { width, height, channels: 1 } })
    .blur(0.6)
    .png({ compressionLevel: 9, palette: false })
    .toFile(join(OUT, `${spec.name}.png`));
  const truth = {
    image: `${spec.name}.png`,
    width,
    height,
    source: 'scripts/make-test-pages.ts (synthetic: pdf-lib standard fonts rasterised at 150 dpi)',
    license: 'CC0 1.0 (generated by the Recto project)',
    dataset: 'synthetic',
    language: 'en',
    granularity: 'word',
    words,
  };
  await writeFile(join(OUT, `${spec.name}.json`), JSON.stringify(truth, null, 1) + '\n');
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'recto-test-pages-'));
  try {
    for (const spec of SPECS) await makePage(spec, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(`wrote ${SPECS.length} pages to ${OUT}`);
}

void main();
