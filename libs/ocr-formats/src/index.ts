export * from './ocr-file';
export { InvalidOcrFileException } from './invalid-ocr-file.exception';
export { detectOcrFormat } from './detect/ocr-format.detector';
export { parseOcrFile } from './ocr-file.parser';
export { parseAlto } from './alto/alto.parser';
export { parseHocr, hocrProperties } from './hocr/hocr.parser';
export { parsePageXml } from './page/page-xml.parser';
export type { OcrParseOptions } from './ocr-parse-options';
export { splitLine } from './geometry/line-split';
export { relativeQuad, relativeBox, minimumRotatedRectangle } from './geometry/relative-quad';
export { readXml } from './xml/hardened-xml.reader';
export { DEFAULT_MARKUP_LIMITS, type MarkupLimits } from './xml/xml-tree.builder';
export { type XmlElement, type XmlNode } from './xml/xml-element';
export type { ExportMetadata, WritablePage, WritableWord } from './writing/writable-page';
export { AltoWriter } from './alto/alto.writer';
export { HocrWriter } from './hocr/hocr.writer';
export { PageXmlWriter } from './page/page-xml.writer';
export { PlainTextWriter } from './text/plain-text.writer';
export { SearchablePdfWriter, type SearchablePdfPage, type PdfPageImage } from './pdf/searchable-pdf.writer';
export { assembleImportedPages, MAX_ASPECT_MISMATCH, type PageSize } from './import/imported-pages.assembler';
export { readImportedPages, importDigest, type OcrFileInput } from './import/imported-files.reader';
export {
  pairSidecars,
  isOcrFile,
  isScan,
  OCR_EXTENSIONS,
  SCAN_EXTENSIONS,
  type UploadUnit,
} from './import/sidecar.rule';
