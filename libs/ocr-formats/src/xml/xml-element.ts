/** A parsed element, with its name stripped of any namespace prefix (ALTO and PAGE files use both forms). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

/** Direct child elements, optionally of one local name. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** Every descendant element of one local name, in document order (iterative: depth is bounded but may be large). */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const stack: XmlElement[] = childElements(element).reverse();
  while (stack.length) {
    const current = stack.pop()!;
    if (current.name === name) found.push(current);
    const kids = childElements(current);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return found;
}

/** All text below an element, concatenated. */
export function textOf(element: XmlElement): string {
  let text = '';
  const stack: XmlNode[] = [element];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node === 'string') text += node;
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return text;
}

/** Attribute by local name, ignoring a namespace prefix. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const direct = element.attributes[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(element.attributes)) {
    if (key.slice(key.indexOf(':') + 1) === name) return value;
  }
  return undefined;
}

export function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1);
}
