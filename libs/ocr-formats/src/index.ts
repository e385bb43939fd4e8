export * from './ocr-file';
export { InvalidOcrFileException } from './invalid-ocr-file.exception';
export { detectOcrFormat } from './detect/ocr-format.detector';
export { parseOcrFile } from './ocr-file.parser';
export { parseAlto } from './alto/alto.parser';
export { relativeQuad, relativeBox, minimumRotatedRectangle } from './geometry/relative-quad';
export { readXml } from './xml/hardened-xml.reader';
export { DEFAULT_MARKUP_LIMITS, type MarkupLimits } from './xml/tree-builder';
export { type XmlElement, type XmlNode } from './xml/xml-element';
