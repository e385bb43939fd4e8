export type SupportedMimeType =
  'application/pdf' | 'image/png' | 'image/jpeg' | 'image/tiff' | 'image/webp' | 'image/heic';

const startsWith = (head: Buffer, bytes: number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

/**
 * The type of a file from its first bytes, never from its name. Returns null for anything we
 * cannot OCR. PDFs may carry junk before the header (the spec tolerates up to 1 KB).
 */
export function sniffMimeType(head: Buffer): SupportedMimeType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return 'image/tiff';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(head, [0x66, 0x74, 0x79, 0x70], 4)) {
    const brand = head.subarray(8, 12).toString('latin1');
    if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'hevc', 'hevx'].includes(brand)) return 'image/heic';
  }
  const pdfAt = head.subarray(0, 1024).indexOf('%PDF-');
  if (pdfAt >= 0) return 'application/pdf';
  return null;
}

export const SUPPORTED_TYPES_TEXT = 'PDF, PNG, JPEG, TIFF, WebP, HEIC';

const PAGE_IMAGE_TYPES = new Set<string>([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/tiff',
  'image/webp',
  'image/heic',
]);

/** Whether a document's original holds its page images (false for an OCR-only import, whose original is XML/HTML). */
export function hasPageImages(mimeType: string): boolean {
  return PAGE_IMAGE_TYPES.has(mimeType);
}
