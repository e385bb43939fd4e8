import { InvalidOcrFileException } from '../invalid-ocr-file.exception';

const SLICE_BYTES = 64 * 1024;

/**
 * The decoder of an XML/HTML file and where its text starts: a BOM wins, then the XML
 * declaration's encoding (older ALTO is often ISO-8859-1), then an HTML meta charset, then UTF-8.
 */
function decoderOf(bytes: Buffer): { decoder: TextDecoder; start: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { decoder: new TextDecoder('utf-8'), start: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { decoder: new TextDecoder('utf-16le'), start: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { decoder: new TextDecoder('utf-16be'), start: 2 };
  const head = bytes.subarray(0, 1024).toString('latin1');
  const declared =
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    'utf-8';
  try {
    return { decoder: new TextDecoder(declared.toLowerCase()), start: 0 };
  } catch {
    throw new InvalidOcrFileException(`unknown character encoding "${declared}".`);
  }
}

/**
 * Decodes a file slice by slice into `feed`, so that a limit hit early (nesting, element count)
 * stops a hostile 50 MB file after its first slices instead of after decoding all of it.
 */
export function decodeMarkupInSlices(bytes: Buffer, feed: (text: string) => void): void {
  const { decoder, start } = decoderOf(bytes);
  for (let i = start; i < bytes.length; i += SLICE_BYTES) {
    feed(decoder.decode(bytes.subarray(i, i + SLICE_BYTES), { stream: true }));
  }
  const rest = decoder.decode();
  if (rest) feed(rest);
}

/** The first `bytes` of a file as text (for checks on its head). */
export function decodeMarkupHead(bytes: Buffer, length: number): string {
  const { decoder, start } = decoderOf(bytes);
  return decoder.decode(bytes.subarray(start, start + length), { stream: true });
}
