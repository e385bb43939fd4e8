import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import { localName, type XmlElement } from './xml-element';

/** Limits of every OCR file read (XML or HTML). Real files nest about 10 deep; ALTO of a newspaper page holds ~100k elements. */
export interface MarkupLimits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_MARKUP_LIMITS: MarkupLimits = {
  maxBytes: 100 * 1024 * 1024,
  maxDepth: 256,
  maxElements: 4_000_000,
};

/**
 * Builds the element tree from a streaming parser's events, refusing a file as soon as it nests
 * or grows past the limits: the parsers are event-driven and this keeps an explicit stack, so
 * nothing recurses on the input's depth.
 */
export class TreeBuilder {
  readonly root: XmlElement = { name: '#document', attributes: {}, children: [] };
  private readonly stack: XmlElement[] = [this.root];
  private elements = 0;

  constructor(private readonly limits: MarkupLimits) {}

  open(qualifiedName: string, attributes: Record<string, string>): void {
    if (this.stack.length > this.limits.maxDepth) {
      throw new InvalidOcrFileException(`elements nest deeper than ${this.limits.maxDepth} levels.`);
    }
    if (++this.elements > this.limits.maxElements) {
      throw new InvalidOcrFileException(`more than ${this.limits.maxElements} elements.`);
    }
    const element: XmlElement = { name: localName(qualifiedName), attributes, children: [] };
    this.stack[this.stack.length - 1].children.push(element);
    this.stack.push(element);
  }

  close(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  text(text: string): void {
    if (this.stack.length > 1) this.stack[this.stack.length - 1].children.push(text);
  }

  /** The document element (the first element of the file). */
  documentElement(): XmlElement {
    const element = this.root.children.find((c): c is XmlElement => typeof c !== 'string');
    if (!element) throw new InvalidOcrFileException('the file has no elements.');
    return element;
  }
}
