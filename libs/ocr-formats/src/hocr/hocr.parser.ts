import type { OcrWord } from '@recto/ocr';
import { splitLine } from '../geometry/line-split';
import { outlineOf } from '../geometry/outline-points';
import { relativeQuad } from '../geometry/relative-quad';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import type { ParsedOcrFile, ParsedOcrPage } from '../ocr-file';
import type { OcrParseOptions } from '../ocr-parse-options';
import { confidenceOf } from '../ocr-values';
import { isElement, textOf, type XmlElement } from '../xml/xml-element';
import { readHocrHtml } from './hocr-html.reader';

/** Classes of hOCR line-level elements (Tesseract writes headers, captions and floats as lines too). */
const LINE_CLASSES = new Set(['ocr_line', 'ocrx_line', 'ocr_header', 'ocr_caption', 'ocr_textfloat']);

type Xy = [number, number];

/** The properties of an hOCR `title`: `bbox 0 0 10 10; x_wconf 93; image "p.png"`. */
export function hocrProperties(title: string | undefined): Map<string, string> {
  const properties = new Map<string, string>();
  for (const part of (title ?? '').split(';')) {
    const match = /^\s*(\w+)\s*(.*?)\s*$/.exec(part);
    if (match) properties.set(match[1], match[2]);
  }
  return properties;
}

function bboxOf(properties: Map<string, string>): [number, number, number, number] | null {
  const values = properties.get('bbox')?.split(/\s+/).map(Number);
  if (!values || values.length !== 4 || values.some((v) => !Number.isFinite(v))) return null;
  return values as [number, number, number, number];
}

/** hOCR's `poly x0 y0 x1 y1 …`: a word's outline when it is not its box (a turned word). */
function polyOf(properties: Map<string, string>): Xy[] | null {
  const poly = properties.get('poly');
  return poly ? outlineOf(poly.trim().split(/\s+/).map(Number)) : null;
}

const corners = ([x0, y0, x1, y1]: [number, number, number, number]): Xy[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

const classesOf = (element: XmlElement) => new Set((element.attributes['class'] ?? '').split(/\s+/));

/** Any hOCR structure element but a word's character boxes (ocrx_cinfo), whose text is the word's. */
const isStructure = (element: XmlElement) =>
  [...classesOf(element)].some((c) => /^ocrx?_/.test(c) && c !== 'ocrx_cinfo');

/** The text of a word, without that of words or lines nested in it by unclosed tags (tag soup). */
function ownText(element: XmlElement): string {
  let text = '';
  const stack = [...element.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (!isElement(node)) text += node;
    else if (!isStructure(node)) stack.push(...[...node.children].reverse());
  }
  return text.trim();
}

interface RawWord {
  content: string;
  outline: Xy[];
  confidence: number | null;
  line: XmlElement | null;
}

/** Words of one ocr_page in document order, each with the line element it belongs to. */
function wordsOfPage(page: XmlElement): RawWord[] {
  const words: RawWord[] = [];
  const stack: { element: XmlElement; line: XmlElement | null }[] = [{ element: page, line: null }];
  while (stack.length) {
    const { element, line } = stack.pop()!;
    const classes = classesOf(element);
    const currentLine = [...classes].some((c) => LINE_CLASSES.has(c)) ? element : line;
    if (classes.has('ocrx_word')) {
      const properties = hocrProperties(element.attributes['title']);
      const box = bboxOf(properties);
      const content = ownText(element);
      if (box && content) {
        const confidence = confidenceOf(properties.get('x_wconf')?.split(/\s+/)[0], 100);
        words.push({ content, outline: polyOf(properties) ?? corners(box), confidence, line: currentLine });
      }
    } else if (currentLine === element && !hasWords(element)) {
      // A line without ocrx_word children: its text cut along its box.
      const box = bboxOf(hocrProperties(element.attributes['title']));
      if (box) {
        for (const w of splitLine(corners(box), textOf(element))) {
          words.push({ content: w.content, outline: w.outline, confidence: null, line: element });
        }
      }
      continue;
    }
    const kids = element.children.filter(isElement);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ element: kids[i], line: currentLine });
  }
  return words;
}

function hasWords(element: XmlElement): boolean {
  const stack = element.children.filter(isElement);
  while (stack.length) {
    const node = stack.pop()!;
    if (classesOf(node).has('ocrx_word')) return true;
    stack.push(...node.children.filter(isElement));
  }
  return false;
}

function pagesOf(root: XmlElement): XmlElement[] {
  const pages: XmlElement[] = [];
  const stack = root.children.filter(isElement).reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (classesOf(node).has('ocr_page')) pages.push(node);
    else stack.push(...node.children.filter(isElement).reverse());
  }
  return pages;
}

/**
 * Reads hOCR (XHTML or tag-soup HTML): one page per `ocr_page`, words from `ocrx_word` (`bbox`, or
 * `poly` for a turned word; `x_wconf`), lines from `ocr_line` and its Tesseract kin. A page's size is its `bbox`, else the
 * image's size given by the caller.
 */
export function parseHocr(bytes: Buffer, options: OcrParseOptions = {}): ParsedOcrFile {
  const root = readHocrHtml(bytes);
  const pageElements = pagesOf(root);
  if (pageElements.length === 0) throw new InvalidOcrFileException('the hOCR file has no element of class ocr_page.');
  const pages = pageElements.map((page, i): ParsedOcrPage => {
    const properties = hocrProperties(page.attributes['title']);
    const box = bboxOf(properties);
    const size = box ? { width: box[2], height: box[3] } : options.pageSize?.(i);
    if (!size || size.width <= 0 || size.height <= 0) {
      throw new InvalidOcrFileException(
        `hOCR page ${i + 1} has no bbox, and no image gives its size.`,
        `/pages/${i + 1}`,
      );
    }
    const raw = wordsOfPage(page);
    const lineIndex = new Map<XmlElement | null, number>();
    const words: OcrWord[] = raw.map((w) => {
      // Words outside any line each start a line of their own.
      const key = w.line ?? ({} as XmlElement);
      if (!lineIndex.has(key)) lineIndex.set(key, lineIndex.size);
      return {
        content: w.content,
        polygon: relativeQuad(w.outline, size.width, size.height),
        confidence: w.confidence,
        line: lineIndex.get(key)!,
      };
    });
    const image = properties.get('image')?.replace(/^"(.*)"$/, '$1') ?? null;
    return {
      number: i + 1,
      width: size.width,
      height: size.height,
      unit: 'pixel',
      imageName: image,
      words,
      source: 'import',
    };
  });
  return { format: 'hocr', pages };
}
