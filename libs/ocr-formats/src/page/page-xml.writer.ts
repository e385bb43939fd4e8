import { boxCorners, layOutPage } from '../writing/page-layout';
import type { ExportMetadata, WritablePage } from '../writing/writable-page';
import { xmlNumber, xmlText } from '../writing/xml-text';

export const PAGE_NAMESPACE = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';

const points = (corners: [number, number][]) => corners.map(([x, y]) => `${x},${y}`).join(' ');
const textEquiv = (text: string, conf?: number | null) =>
  `<TextEquiv${conf === null || conf === undefined ? '' : ` conf="${xmlNumber(Math.min(1, Math.max(0, conf)))}"`}><Unicode>${xmlText(text)}</Unicode></TextEquiv>`;

/**
 * One page as a PAGE XML 2019-07-15 file (PAGE has one page per file): TextRegions (blocks
 * inferred from the lines' geometry) in a reading order, TextLines and Words with Coords in
 * pixels — each word's own polygon, not only its box — and TextEquiv with the word's confidence.
 */
export class PageXmlWriter {
  readonly contentType = 'application/xml; charset=utf-8';
  readonly extension = 'page.xml';

  constructor(private readonly meta: ExportMetadata) {}

  write(page: WritablePage): string {
    const p = page.number;
    const created = this.meta.created.toISOString();
    const blocks = layOutPage(page);
    let out =
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<PcGts xmlns="${PAGE_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="${PAGE_NAMESPACE} ${PAGE_NAMESPACE}/pagecontent.xsd" pcGtsId="page_${p}">\n` +
      `<Metadata><Creator>${xmlText(`Recto (text recognised by: ${this.meta.ocrProvider})`)}</Creator>` +
      `<Created>${created}</Created><LastChange>${created}</LastChange></Metadata>\n` +
      `<Page imageFilename="${xmlText(this.meta.imageName)}" imageWidth="${page.width}" imageHeight="${page.height}">\n`;
    if (blocks.length > 0) {
      out += `<ReadingOrder><OrderedGroup id="reading_order_${p}">`;
      out += blocks.map((_, b) => `<RegionRefIndexed index="${b}" regionRef="region_${p}_${b + 1}"/>`).join('');
      out += `</OrderedGroup></ReadingOrder>\n`;
    }
    blocks.forEach((block, b) => {
      out += `<TextRegion id="region_${p}_${b + 1}"><Coords points="${points(boxCorners(block.box))}"/>\n`;
      const lineTexts: string[] = [];
      for (const line of block.lines) {
        out += `<TextLine id="line_${p}_${line.words[0].index + 1}"><Coords points="${points(boxCorners(line.box))}"/>`;
        for (const w of line.words) {
          // A polygon needs 3 distinct points to span an area; a degenerate one falls back to its box.
          const distinct = new Set(w.points.map(([x, y]) => `${x},${y}`)).size;
          const outline = distinct >= 3 ? w.points : boxCorners(w.box);
          out += `<Word id="word_${p}_${w.index + 1}"><Coords points="${points(outline)}"/>${textEquiv(w.word.content, w.word.confidence)}</Word>`;
        }
        const lineText = line.words.map((w) => w.word.content).join(' ');
        lineTexts.push(lineText);
        out += `${textEquiv(lineText)}</TextLine>\n`;
      }
      out += `${textEquiv(lineTexts.join('\n'))}</TextRegion>\n`;
    });
    return out + `</Page>\n</PcGts>\n`;
  }
}
