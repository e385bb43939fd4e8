import type { OcrFormat } from '../ocr-file';

/** How far into a file its format shows: past an XML declaration, comments and a DOCTYPE. */
const HEAD_BYTES = 64 * 1024;

/**
 * The format of an OCR file from its content (never its name): the document element for ALTO
 * (`alto`, any prefix) and PAGE (`PcGts`), hOCR's `ocr_*`/`ocrx_*` classes or an HTML root.
 * Null when it is none of them.
 */
export function detectOcrFormat(bytes: Buffer): OcrFormat | null {
  let head = bytes.subarray(0, HEAD_BYTES).toString('latin1');
  if (bytes[0] === 0xff || bytes[0] === 0xfe)
    head = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(0, HEAD_BYTES));
  const stripped = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/gi, '');
  const root = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(stripped)?.[2];
  if (root === 'alto') return 'alto';
  if (root === 'PcGts') return 'page';
  if (/class\s*=\s*["']?[^"'>]*\bocr(x)?_(page|line|word|carea|par)\b/i.test(head)) return 'hocr';
  if (root && /^html$/i.test(root)) return 'hocr';
  return null;
}
