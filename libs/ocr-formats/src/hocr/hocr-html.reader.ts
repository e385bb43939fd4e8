import { Parser } from 'htmlparser2';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import { decodeMarkupHead, decodeMarkupInSlices } from '../xml/text-decoding';
import { DEFAULT_MARKUP_LIMITS, TreeBuilder, type MarkupLimits } from '../xml/xml-tree.builder';
import type { XmlElement } from '../xml/xml-element';

/**
 * Parses hOCR, XHTML or tag-soup HTML alike, best effort: htmlparser2 closes unclosed tags the way
 * HTML does, decodes only HTML's fixed named entities (a DOCTYPE's declarations are never read,
 * let alone expanded or fetched), and leaves unknown `&foo;` as text. Size and depth are bounded.
 */
export function readHocrHtml(bytes: Buffer, limits: MarkupLimits = DEFAULT_MARKUP_LIMITS): XmlElement {
  if (bytes.length > limits.maxBytes) throw new InvalidOcrFileException(`larger than ${limits.maxBytes} bytes.`);
  if (/<!DOCTYPE[^>]*\[[^\]]*<!ENTITY/i.test(decodeMarkupHead(bytes, 64 * 1024))) {
    throw new InvalidOcrFileException('the DOCTYPE declares entities, which are never expanded nor fetched.');
  }
  const tree = new TreeBuilder(limits);
  const parser = new Parser(
    {
      onopentag: (name, attributes) => tree.open(name, attributes),
      onclosetag: () => tree.close(),
      ontext: (t) => tree.text(t),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  decodeMarkupInSlices(bytes, (slice) => parser.write(slice));
  parser.end();
  return tree.root;
}
