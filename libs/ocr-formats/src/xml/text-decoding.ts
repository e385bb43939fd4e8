import { InvalidOcrFileException } from '../invalid-ocr-file.exception';

/**
 * The text of an XML/HTML file: a BOM wins, then the XML declaration's encoding (older ALTO is
 * often ISO-8859-1), then an HTML meta charset, then UTF-8.
 */
export function decodeMarkup(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = bytes.subarray(0, 1024).toString('latin1');
  const declared =
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared.toLowerCase());
  } catch {
    throw new InvalidOcrFileException(`unknown character encoding "${declared}".`);
  }
  return decoder.decode(bytes);
}
