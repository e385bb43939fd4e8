import { parseAlto } from './alto/alto.parser';
import { detectOcrFormat } from './detect/ocr-format.detector';
import { InvalidOcrFileException } from './invalid-ocr-file.exception';
import type { OcrFormat, ParsedOcrFile } from './ocr-file';

const PARSERS: Partial<Record<OcrFormat, (bytes: Buffer) => ParsedOcrFile>> = {
  alto: parseAlto,
};

/** Reads an OCR file of any supported format, detected from its content. */
export function parseOcrFile(bytes: Buffer): ParsedOcrFile {
  if (bytes.length === 0) throw new InvalidOcrFileException('the file is empty.');
  const format = detectOcrFormat(bytes);
  const parse = format ? PARSERS[format] : undefined;
  if (!format || !parse) throw new InvalidOcrFileException('not ALTO, hOCR or PAGE XML (detected from the content).');
  return parse(bytes);
}
