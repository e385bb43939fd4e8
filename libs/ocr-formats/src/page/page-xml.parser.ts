import type { OcrWord } from '@recto/ocr';
import { splitLine } from '../geometry/line-split';
import { relativeQuad } from '../geometry/relative-quad';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import type { ParsedOcrFile, ParsedOcrPage } from '../ocr-file';
import { confidenceOf, numberOf } from '../ocr-values';
import { readXml } from '../xml/hardened-xml.reader';
import { attribute, childElements, descendants, firstChild, textOf, type XmlElement } from '../xml/xml-element';

type Xy = [number, number];

/** `Coords`: the `points` attribute (2013 on: "x,y x,y …"), or `Point` children (2010 and some 2013 writers). */
function outlineOf(element: XmlElement): Xy[] | null {
  const coords = firstChild(element, 'Coords');
  if (!coords) return null;
  const points = attribute(coords, 'points');
  const outline: Xy[] = points
    ? points
        .trim()
        .split(/\s+/)
        .map((pair) => pair.split(',').map(Number) as Xy)
    : childElements(coords, 'Point').map((p) => [Number(attribute(p, 'x')), Number(attribute(p, 'y'))] as Xy);
  const valid = outline.filter((p) => p.length === 2 && p.every(Number.isFinite));
  return valid.length > 0 ? valid : null;
}

/** The preferred TextEquiv: the lowest `index` (PAGE's ranking of alternatives), else the first. */
function textEquivOf(element: XmlElement): { text: string; confidence: number | null } | null {
  const equivs = childElements(element, 'TextEquiv');
  if (equivs.length === 0) return null;
  const ranked = [...equivs].sort(
    (a, b) => (numberOf(attribute(a, 'index')) ?? 0) - (numberOf(attribute(b, 'index')) ?? 0),
  );
  const best = ranked[0];
  const unicode = firstChild(best, 'Unicode');
  return { text: unicode ? textOf(unicode) : '', confidence: confidenceOf(attribute(best, 'conf')) };
}

/** Region ids in the order of the page's ReadingOrder, nested groups flattened (indexed children by index). */
function readingOrder(page: XmlElement): string[] {
  const order = firstChild(page, 'ReadingOrder');
  if (!order) return [];
  const ids: string[] = [];
  const visit = (group: XmlElement) => {
    const ref = attribute(group, 'regionRef');
    if (ref && group.name !== 'RegionRefIndexed' && group.name !== 'RegionRef') ids.push(ref);
    const kids = childElements(group).filter((k) => /^(RegionRef|OrderedGroup|UnorderedGroup)/.test(k.name));
    const sorted = [...kids].sort(
      (a, b) => (numberOf(attribute(a, 'index')) ?? Infinity) - (numberOf(attribute(b, 'index')) ?? Infinity),
    );
    for (const kid of sorted) {
      if (kid.name.startsWith('RegionRef')) {
        const id = attribute(kid, 'regionRef');
        if (id) ids.push(id);
      } else visit(kid);
    }
  };
  for (const group of childElements(order)) visit(group);
  return ids;
}

/** TextLines of the page in reading order: regions as ReadingOrder lists them, then the rest in document order. */
function linesInReadingOrder(page: XmlElement): XmlElement[] {
  const byId = new Map<string, XmlElement>();
  for (const region of descendants(page, 'TextRegion')) {
    const id = attribute(region, 'id');
    if (id) byId.set(id, region);
  }
  for (const element of childElements(page)) {
    const id = attribute(element, 'id');
    if (id && element.name.endsWith('Region')) byId.set(id, element);
  }
  const seen = new Set<XmlElement>();
  const lines: XmlElement[] = [];
  const take = (candidates: XmlElement[]) => {
    for (const line of candidates) {
      if (!seen.has(line)) {
        seen.add(line);
        lines.push(line);
      }
    }
  };
  for (const id of readingOrder(page)) {
    const region = byId.get(id);
    if (region) take(descendants(region, 'TextLine'));
  }
  take(descendants(page, 'TextLine'));
  return lines;
}

interface RawWord {
  content: string;
  outline: Xy[];
  confidence: number | null;
}

function wordsOfLine(line: XmlElement): RawWord[] {
  const words: RawWord[] = [];
  const wordElements = childElements(line, 'Word');
  for (const word of wordElements) {
    const outline = outlineOf(word);
    const equiv = textEquivOf(word);
    const content = equiv?.text.trim();
    if (outline && content) words.push({ content, outline, confidence: equiv!.confidence });
  }
  if (wordElements.length > 0) return words;
  // Line-level transcriptions (Transkribus, eScriptorium often stop there): cut the line's box.
  const outline = outlineOf(line);
  const equiv = textEquivOf(line);
  if (!outline || !equiv) return words;
  return splitLine(outline, equiv.text).map((w) => ({ ...w, confidence: equiv.confidence }));
}

/**
 * Reads PAGE XML (2013-07-15, 2019-07-15, and the 2010 Point form): one page per Page element,
 * words from Word (polygons kept as their minimum rotated rectangle) or, failing those, from the
 * TextLine's text cut along its outline; text from the preferred TextEquiv, its `conf` as the
 * confidence, lines in ReadingOrder then document order.
 */
export function parsePageXml(bytes: Buffer): ParsedOcrFile {
  const root = readXml(bytes);
  if (root.name !== 'PcGts') throw new InvalidOcrFileException(`the document element is <${root.name}>, not <PcGts>.`);
  const pageElements = childElements(root, 'Page');
  if (pageElements.length === 0) throw new InvalidOcrFileException('the PAGE file has no Page element.');
  const pages = pageElements.map((page, i): ParsedOcrPage => {
    const width = numberOf(attribute(page, 'imageWidth'));
    const height = numberOf(attribute(page, 'imageHeight'));
    if (!width || !height || width <= 0 || height <= 0) {
      throw new InvalidOcrFileException(`PAGE page ${i + 1} has no valid imageWidth/imageHeight.`, `/pages/${i + 1}`);
    }
    const words: OcrWord[] = [];
    let line = 0;
    for (const textLine of linesInReadingOrder(page)) {
      const raw = wordsOfLine(textLine);
      for (const w of raw) {
        words.push({
          content: w.content,
          polygon: relativeQuad(w.outline, width, height),
          confidence: w.confidence,
          line,
        });
      }
      if (raw.length > 0) line++;
    }
    const imageName = attribute(page, 'imageFilename') ?? null;
    return { number: i + 1, width, height, unit: 'pixel', imageName, words, source: 'import' };
  });
  return { format: 'page', pages };
}
