import { layOutPage, PixelBox, PlacedWord } from '../writing/page-layout';
import type { ExportMetadata, WritablePage } from '../writing/writable-page';
import { xmlText } from '../writing/xml-text';

const bbox = (b: PixelBox) => `bbox ${b.x0} ${b.y0} ${b.x1} ${b.y1}`;
/** hOCR property strings are double-quoted; a quote inside one cannot be escaped portably. */
const quoted = (s: string) => `"${s.replace(/["\\]/g, "'")}"`;

function wordTitle(placed: PlacedWord): string {
  let title = bbox(placed.box);
  // hOCR's `poly` keeps a rotated word's outline; readers that do not know it still have the bbox.
  if (!placed.axisAligned) title += `; poly ${placed.points.map(([x, y]) => `${x} ${y}`).join(' ')}`;
  if (placed.word.confidence !== null)
    title += `; x_wconf ${Math.round(Math.min(1, Math.max(0, placed.word.confidence)) * 100)}`;
  return title;
}

/**
 * hOCR 1.2 as well-formed XHTML, page by page (`begin()`, `page()` per page, `end()`): ocr_page,
 * ocr_carea (blocks inferred from the lines' geometry), ocr_line and ocrx_word with `bbox` in
 * pixels and `x_wconf` (0–100). Words keep their text as printed, line-end hyphens included.
 */
export class HocrWriter {
  readonly contentType = 'application/xhtml+xml; charset=utf-8';
  readonly extension = 'hocr';

  constructor(
    private readonly meta: ExportMetadata,
    private readonly pageCount: number,
  ) {}

  begin(): string {
    const m = this.meta;
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n` +
      `<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n` +
      `<title>${xmlText(m.documentName)}</title>\n` +
      `<meta http-equiv="Content-Type" content="application/xhtml+xml; charset=utf-8"/>\n` +
      `<meta name="ocr-system" content="${xmlText(`Recto (text recognised by: ${m.ocrProvider})`)}"/>\n` +
      `<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_line ocrx_word"/>\n` +
      `<meta name="ocr-number-of-pages" content="${this.pageCount}"/>\n` +
      `</head>\n<body>\n`
    );
  }

  page(page: WritablePage): string {
    const p = page.number;
    const pageTitle = `image ${quoted(this.meta.imageName)}; bbox 0 0 ${page.width} ${page.height}; ppageno ${p - 1}`;
    let out = `<div class="ocr_page" id="page_${p}" title="${xmlText(pageTitle)}">\n`;
    layOutPage(page).forEach((block, b) => {
      out += ` <div class="ocr_carea" id="block_${p}_${b + 1}" title="${bbox(block.box)}">\n`;
      for (const line of block.lines) {
        out += `  <span class="ocr_line" id="line_${p}_${line.words[0].index + 1}" title="${bbox(line.box)}">`;
        out += line.words
          .map(
            (w) =>
              `<span class="ocrx_word" id="word_${p}_${w.index + 1}" title="${xmlText(wordTitle(w))}">${xmlText(w.word.content)}</span>`,
          )
          .join(' ');
        out += `</span>\n`;
      }
      out += ` </div>\n`;
    });
    return out + `</div>\n`;
  }

  end(): string {
    return `</body>\n</html>\n`;
  }
}
