import {
  beginText,
  endText,
  PDFDocument,
  PDFFont,
  PDFName,
  PDFPage,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
} from '@cantoo/pdf-lib';
import type { OcrWord } from '@recto/ocr';
import { readFileSync } from 'node:fs';
import type { ExportMetadata } from '../writing/writable-page';

export interface PdfPageImage {
  data: Buffer;
  type: 'jpeg' | 'png';
}

export interface SearchablePdfPage {
  /** Page size in PDF points (1/72 in); the image is drawn over all of it. */
  widthPt: number;
  heightPt: number;
  image: PdfPageImage;
  /** Reading order; relative polygons as stored. */
  words: OcrWord[];
}

/**
 * DejaVu Sans covers Latin (with the long s, ligatures and combining marks of historical print),
 * Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic base forms: what the OCR engines Recto
 * runs produce. Characters outside it (CJK, most Indic scripts) are kept in the text layer as
 * glyph 0, so they neither copy nor search. The glyphs are never painted (render mode 3): only
 * their advance widths and the font's ToUnicode map matter.
 */
let fontBytes: Buffer | undefined;
// The fontkit package is an ES module whose CommonJS build (what Node loads here) has the same API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('@cantoo/fontkit') as Parameters<PDFDocument['registerFontkit']>[0];
function dejaVuSans(): Buffer {
  fontBytes ??= readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return fontBytes;
}

type Xy = [number, number];
const sub = (a: Xy, b: Xy): Xy => [a[0] - b[0], a[1] - b[1]];
const length = (v: Xy) => Math.hypot(v[0], v[1]);

/**
 * A searchable PDF: each page is its image, with the words over it as invisible text (render mode
 * 3), each word placed on its polygon and scaled to it — font size from the polygon's height,
 * horizontal scaling (Tz) to its width, the text matrix turned with it — so that selecting,
 * copying and a viewer's find land on the printed words. Built with pdf-lib (the maintained
 * `@cantoo/pdf-lib` fork); no PDF syntax is written by hand.
 */
export class SearchablePdfWriter {
  /** The font's descent below the baseline, per unit of font size (what readers take a glyph's bottom to be). */
  private readonly unitDescent: number;
  /** Ascent plus descent per unit of font size: the height readers give a word. */
  private readonly unitHeight: number;

  private constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
  ) {
    const metrics = fontkit.create(dejaVuSans()) as unknown as { ascent: number; descent: number; unitsPerEm: number };
    this.unitDescent = -metrics.descent / metrics.unitsPerEm;
    this.unitHeight = (metrics.ascent - metrics.descent) / metrics.unitsPerEm;
  }

  static async create(meta: ExportMetadata): Promise<SearchablePdfWriter> {
    const pdf = await PDFDocument.create();
    pdf.registerFontkit(fontkit);
    const font = await pdf.embedFont(dejaVuSans(), { subset: true });
    pdf.setTitle(meta.documentName);
    pdf.setCreator(`Recto (text recognised by: ${meta.ocrProvider})`);
    pdf.setProducer('Recto');
    pdf.setCreationDate(meta.created);
    pdf.setModificationDate(meta.created);
    return new SearchablePdfWriter(pdf, font);
  }

  async addPage(input: SearchablePdfPage): Promise<void> {
    const { widthPt: w, heightPt: h } = input;
    const page = this.pdf.addPage([w, h]);
    const image =
      input.image.type === 'jpeg'
        ? await this.pdf.embedJpg(input.image.data)
        : await this.pdf.embedPng(input.image.data);
    page.drawImage(image, { x: 0, y: 0, width: w, height: h });
    const fontKey = page.node.newFontDictionary(this.font.name, this.font.ref);
    input.words.forEach((word, i) => {
      const next = input.words[i + 1];
      // A space after every word but a line's last: readers break words on it whatever the gap.
      this.placeWord(page, fontKey, word, w, h, next !== undefined && next.line === word.line);
    });
  }

  async save(): Promise<Uint8Array> {
    return this.pdf.save();
  }

  private placeWord(page: PDFPage, fontKey: PDFName, word: OcrWord, w: number, h: number, spaceAfter: boolean) {
    const text = word.content.replace(/\s+/g, ' ').trim();
    if (!text || word.polygon.length < 4) return;
    // PDF space: origin at the bottom left, y up.
    const [topLeft, topRight, , bottomLeft] = word.polygon.map(([x, y]) => [x * w, (1 - y) * h] as Xy);
    const along = sub(topRight, topLeft);
    const up = sub(topLeft, bottomLeft);
    const width = length(along);
    const height = length(up);
    if (width < 0.01 || height < 0.01) return;
    const cos = along[0] / width;
    const sin = along[1] / width;
    // The font's ascent-to-descent height fills the polygon's height; the baseline sits the
    // descent above its bottom edge.
    const size = height / this.unitHeight;
    const natural = this.font.widthOfTextAtSize(text, size);
    if (natural <= 0) return;
    const squeeze = (100 * width) / natural;
    const lift = this.unitDescent * size;
    const originX = bottomLeft[0] - sin * lift;
    const originY = bottomLeft[1] + cos * lift;
    page.pushOperators(
      pushGraphicsState(),
      beginText(),
      setTextRenderingMode(TextRenderingMode.Invisible),
      setFontAndSize(fontKey, size),
      setCharacterSqueeze(squeeze),
      setTextMatrix(cos, sin, -sin, cos, originX, originY),
      showText(this.font.encodeText(spaceAfter ? `${text} ` : text)),
      endText(),
      popGraphicsState(),
    );
  }
}
