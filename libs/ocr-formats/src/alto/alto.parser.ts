import type { OcrWord } from '@recto/ocr';
import { outlineOf } from '../geometry/outline-points';
import { relativeBox, relativeQuad } from '../geometry/relative-quad';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import type { OcrUnit, ParsedOcrFile, ParsedOcrPage } from '../ocr-file';
import { confidenceOf, numberOf } from '../ocr-values';
import { readXml } from '../xml/hardened-xml.reader';
import { attribute, childElements, descendants, firstChild, textOf, type XmlElement } from '../xml/xml-element';

const UNITS: Record<string, OcrUnit> = { pixel: 'pixel', mm10: 'mm10', inch1200: 'inch1200' };
/** A word that already ends in a hyphen needs no HYP appended (the pipeline joins it either way). */
const ENDS_WITH_HYPHEN = /[-\u00AD\u2010¬⸗=]$/u;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boxOf(element: XmlElement): Box | null {
  const x = numberOf(attribute(element, 'HPOS'));
  const y = numberOf(attribute(element, 'VPOS'));
  const w = numberOf(attribute(element, 'WIDTH'));
  const h = numberOf(attribute(element, 'HEIGHT'));
  if (x === null || y === null || w === null || h === null) return null;
  return { x0: x, y0: y, x1: x + w, y1: y + h };
}

/**
 * The page's size in the file's unit: its WIDTH/HEIGHT, else the PrintSpace's far corner, else
 * the farthest word (files that leave the page size out still have consistent coordinates).
 */
function pageSize(page: XmlElement, boxes: Box[]): { width: number; height: number } {
  const width = numberOf(attribute(page, 'WIDTH'));
  const height = numberOf(attribute(page, 'HEIGHT'));
  if (width && height && width > 0 && height > 0) return { width, height };
  const printSpace = firstChild(page, 'PrintSpace');
  const space = printSpace ? boxOf(printSpace) : null;
  const far = [...boxes, ...(space ? [space] : [])];
  const w = Math.max(0, ...far.map((b) => b.x1));
  const h = Math.max(0, ...far.map((b) => b.y1));
  if (w <= 0 || h <= 0)
    throw new InvalidOcrFileException('an ALTO Page has no WIDTH/HEIGHT and no positioned content.');
  return { width: w, height: h };
}

/**
 * A String's `Shape/Polygon` (a turned word's outline, in the file's unit): `POINTS` as "x,y x,y …"
 * or "x y x y …", both of which writers use.
 */
function polygonOf(element: XmlElement): [number, number][] | null {
  const shape = firstChild(element, 'Shape');
  const polygon = shape ? firstChild(shape, 'Polygon') : undefined;
  const values = ((polygon && attribute(polygon, 'POINTS')) ?? '')
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  return outlineOf(values);
}

interface RawWord {
  content: string;
  box: Box;
  outline: [number, number][] | null;
  confidence: number | null;
  line: number;
}

function wordsOfPage(page: XmlElement): RawWord[] {
  const words: RawWord[] = [];
  let line = 0;
  for (const textLine of descendants(page, 'TextLine')) {
    const lineBox = boxOf(textLine);
    let found = false;
    for (const child of childElements(textLine)) {
      const last = words[words.length - 1];
      if (child.name === 'HYP') {
        // The hyphen printed at the line end belongs to the word before it, as in recognised text.
        const hyphen = (attribute(child, 'CONTENT') ?? '-').trim() || '-';
        if (last && last.line === line && found && !ENDS_WITH_HYPHEN.test(last.content)) last.content += hyphen;
        continue;
      }
      if (child.name !== 'String') continue;
      let content = (attribute(child, 'CONTENT') ?? textOf(child)).trim();
      if (!content) continue;
      if (attribute(child, 'SUBS_TYPE') === 'HypPart1' && !ENDS_WITH_HYPHEN.test(content)) {
        // Marked as the first half of a hyphenated word; its hyphen may be in a HYP that follows (added then) or absent.
        const hyp = childElements(textLine).some((c) => c.name === 'HYP');
        if (!hyp) content += '-';
      }
      const box = boxOf(child) ?? lineBox;
      if (!box) continue;
      words.push({ content, box, outline: polygonOf(child), confidence: confidenceOf(attribute(child, 'WC')), line });
      found = true;
    }
    if (found) line++;
  }
  return words;
}

/** Reads ALTO v1–v4 and the older CCS namespace, with or without element prefixes, in any MeasurementUnit. */
export function parseAlto(bytes: Buffer): ParsedOcrFile {
  const root = readXml(bytes);
  if (root.name !== 'alto') throw new InvalidOcrFileException(`the document element is <${root.name}>, not <alto>.`);
  const description = firstChild(root, 'Description');
  const unitText = description ? firstChild(description, 'MeasurementUnit') : undefined;
  const unit = UNITS[(unitText ? textOf(unitText) : 'pixel').trim().toLowerCase()];
  if (!unit) throw new InvalidOcrFileException(`unknown ALTO MeasurementUnit "${textOf(unitText!).trim()}".`);
  const info = description ? firstChild(description, 'sourceImageInformation') : undefined;
  const fileName = info ? firstChild(info, 'fileName') : undefined;
  const imageName = fileName ? textOf(fileName).trim() || null : null;
  const layout = firstChild(root, 'Layout');
  const pageElements = layout ? childElements(layout, 'Page') : [];
  if (pageElements.length === 0) throw new InvalidOcrFileException('the ALTO file has no Layout/Page.');
  const pages = pageElements.map((page, i): ParsedOcrPage => {
    const raw = wordsOfPage(page);
    const { width, height } = pageSize(
      page,
      raw.map((w) => w.box),
    );
    const words: OcrWord[] = raw.map((w) => ({
      content: w.content,
      polygon: w.outline
        ? relativeQuad(w.outline, width, height)
        : relativeBox(w.box.x0, w.box.y0, w.box.x1, w.box.y1, width, height),
      confidence: w.confidence,
      line: w.line,
    }));
    return { number: i + 1, width, height, unit, imageName, words, source: 'import' };
  });
  return { format: 'alto', pages };
}
