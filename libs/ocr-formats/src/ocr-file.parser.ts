import { parseAlto } from './alto/alto.parser';
import { parseHocr } from './hocr/hocr.parser';
import { parsePageXml } from './page/page-xml.parser';
import type { OcrParseOptions } from './ocr-parse-options';
import { detectOcrFormat } from './detect/ocr-format.detector';
import { InvalidOcrFileException } from './invalid-ocr-file.exception';
import type { OcrFormat, ParsedOcrFile } from './ocr-file';

const PARSERS: Record<OcrFormat, (bytes: Buffer, options: OcrParseOptions) => ParsedOcrFile> = {
  alto: parseAlto,
  hocr: parseHocr,
  page: parsePageXml,
};

/** Reads an OCR file of any supported format, detected from its content. */
export function parseOcrFile(bytes: Buffer, options: OcrParseOptions = {}): ParsedOcrFile {
  if (bytes.length === 0) throw new InvalidOcrFileException('the file is empty.');
  const format = detectOcrFormat(bytes);
  if (!format) throw new InvalidOcrFileException('not ALTO, hOCR or PAGE XML (detected from the content).');
  return PARSERS[format](bytes, options);
}
