import { layOutPage, PixelBox, PlacedWord } from '../writing/page-layout';
import type { ExportMetadata, WritablePage } from '../writing/writable-page';
import { xmlNumber, xmlText } from '../writing/xml-text';

export const ALTO_NAMESPACE = 'http://www.loc.gov/standards/alto/ns-v4#';
const ALTO_SCHEMA = 'http://www.loc.gov/standards/alto/v4/alto-4-4.xsd';

const position = (b: PixelBox) => `HPOS="${b.x0}" VPOS="${b.y0}" WIDTH="${b.x1 - b.x0}" HEIGHT="${b.y1 - b.y0}"`;

/**
 * ALTO 4.4 in pixels, written page by page so that a long document streams: `begin()`, then
 * `page()` for each page, then `end()`. Blocks are inferred from the lines' geometry (stored words
 * carry lines only). A word hyphenated at a line end is written as ALTO expects it: the first part
 * without its hyphen, a HYP, and both parts with SUBS_TYPE HypPart1/HypPart2 and the whole word in
 * SUBS_CONTENT. A word whose polygon is not its box also gets its polygon as a Shape.
 */
export class AltoWriter {
  readonly contentType = 'application/xml; charset=utf-8';
  readonly extension = 'alto.xml';

  constructor(private readonly meta: ExportMetadata) {}

  begin(): string {
    const m = this.meta;
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<alto xmlns="${ALTO_NAMESPACE}" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
      `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${ALTO_NAMESPACE} ${ALTO_SCHEMA}" SCHEMAVERSION="4.4">\n` +
      `<Description>\n<MeasurementUnit>pixel</MeasurementUnit>\n` +
      `<sourceImageInformation><fileName>${xmlText(m.imageName)}</fileName></sourceImageInformation>\n` +
      `<Processing ID="processing_1"><processingCategory>contentGeneration</processingCategory>` +
      `<processingDateTime>${m.created.toISOString()}</processingDateTime>` +
      `<processingStepDescription>${xmlText(`Text recognised by: ${m.ocrProvider}`)}</processingStepDescription>` +
      `<processingSoftware><softwareName>Recto</softwareName></processingSoftware>` +
      `</Processing>\n</Description>\n<Layout>\n`
    );
  }

  page(page: WritablePage): string {
    const p = page.number;
    const all = page.words;
    let out = `<Page ID="page_${p}" PHYSICAL_IMG_NR="${p}" WIDTH="${page.width}" HEIGHT="${page.height}" PROCESSINGREFS="processing_1">\n`;
    out += `<PrintSpace ID="printspace_${p}" HPOS="0" VPOS="0" WIDTH="${page.width}" HEIGHT="${page.height}">\n`;
    layOutPage(page).forEach((block, b) => {
      out += `<TextBlock ID="block_${p}_${b + 1}" ${position(block.box)}>\n`;
      for (const line of block.lines) {
        out += `<TextLine ID="line_${p}_${line.words[0].index + 1}" ${position(line.box)}>`;
        line.words.forEach((placed, i) => {
          if (i > 0) {
            const before = line.words[i - 1].box;
            const gap = Math.max(0, placed.box.x0 - before.x1);
            out += `<SP HPOS="${before.x1}" VPOS="${line.box.y0}" WIDTH="${gap}"/>`;
          }
          out += this.string(p, placed, all[placed.index - 1], all[placed.index + 1]);
        });
        const last = line.words[line.words.length - 1].word;
        if (last.hyphenated) out += `<HYP CONTENT="${xmlText(last.content.slice(-1))}"/>`;
        out += `</TextLine>\n`;
      }
      out += `</TextBlock>\n`;
    });
    return out + `</PrintSpace>\n</Page>\n`;
  }

  end(): string {
    return `</Layout>\n</alto>\n`;
  }

  private string(
    page: number,
    placed: PlacedWord,
    previous: PlacedWord['word'] | undefined,
    next: PlacedWord['word'] | undefined,
  ): string {
    const { word, box } = placed;
    let content = word.content;
    let subs = '';
    if (word.hyphenated && next) {
      content = content.slice(0, -1);
      subs = ` SUBS_TYPE="HypPart1" SUBS_CONTENT="${xmlText(content + next.content)}"`;
    } else if (previous?.hyphenated) {
      subs = ` SUBS_TYPE="HypPart2" SUBS_CONTENT="${xmlText(previous.content.slice(0, -1) + content)}"`;
    }
    const wc = word.confidence === null ? '' : ` WC="${xmlNumber(Math.min(1, Math.max(0, word.confidence)))}"`;
    const attributes = `ID="string_${page}_${placed.index + 1}" ${position(box)} CONTENT="${xmlText(content)}"${subs}${wc}`;
    if (placed.axisAligned) return `<String ${attributes}/>`;
    const points = placed.points.map(([x, y]) => `${x},${y}`).join(' ');
    return `<String ${attributes}><Shape><Polygon POINTS="${points}"/></Shape></String>`;
  }
}
