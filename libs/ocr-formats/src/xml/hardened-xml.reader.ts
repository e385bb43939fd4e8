import { SaxesParser } from 'saxes';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import { decodeMarkupInSlices } from './text-decoding';
import { DEFAULT_MARKUP_LIMITS, TreeBuilder, type MarkupLimits } from './xml-tree.builder';
import type { XmlElement } from './xml-element';

/**
 * Parses a well-formed XML file (ALTO, PAGE) into an element tree, safely: saxes never fetches
 * anything and knows only the five predefined entities, and a DOCTYPE that declares entities is
 * refused outright (external entities, billion laughs), as are files past the size, depth or
 * element limits. Not well-formed → InvalidOcrFileException naming line and column.
 */
export function readXml(bytes: Buffer, limits: MarkupLimits = DEFAULT_MARKUP_LIMITS): XmlElement {
  if (bytes.length > limits.maxBytes) throw new InvalidOcrFileException(`larger than ${limits.maxBytes} bytes.`);
  const tree = new TreeBuilder(limits);
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      throw new InvalidOcrFileException('the DOCTYPE declares entities, which are never expanded nor fetched.');
    }
  });
  parser.on('opentag', (tag) => tree.open(tag.name, tag.attributes as Record<string, string>));
  parser.on('closetag', () => tree.close());
  parser.on('text', (text) => tree.text(text));
  parser.on('cdata', (text) => tree.text(text));
  parser.on('error', (err) => {
    throw new InvalidOcrFileException(`not well-formed XML (${err.message}).`);
  });
  decodeMarkupInSlices(bytes, (slice) => parser.write(slice));
  parser.close();
  return tree.documentElement();
}
