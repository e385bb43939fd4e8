import { DomainException, ErrorCode } from '@recto/common';
import { open, readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { loadPdfjs, pdfjsAssetUrls } from '../local/pdfjs-loader';

/** Mindee's published input limits. */
export const MINDEE_MAX_BYTES = 100 * 1024 * 1024;
export const MINDEE_MAX_PAGES = 200;

export type MindeeFileType =
  'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp' | 'image/tiff' | 'image/heic';

export interface PageSize {
  width: number | null;
  height: number | null;
}

export interface InspectedFile {
  type: MindeeFileType;
  sizeBytes: number;
  /** Sizes of the pages as displayed, in pixels (images) or PDF points (PDFs); null when unreadable here. */
  pages: PageSize[];
}

export interface FileLimits {
  maxBytes: number;
  maxPages: number;
}

// EXIF orientations 5-8 turn the image a quarter, swapping width and height.
const SWAPS_AXES = new Set([5, 6, 7, 8]);

/**
 * What Mindee will be sent: its type from the bytes, its size and page count checked against the
 * limits before any request (Mindee bills per page and rejects what is over), and the page sizes
 * its results lack.
 */
export async function inspectFile(path: string, limits: FileLimits): Promise<InspectedFile> {
  const { size } = await stat(path).catch((error: Error) => {
    throw new DomainException(ErrorCode.UnreadableFile, `The file could not be opened (${error.message}).`);
  });
  if (size === 0) throw new DomainException(ErrorCode.EmptyFile, 'The file is empty.');
  if (size > limits.maxBytes) {
    throw new DomainException(
      ErrorCode.PayloadTooLarge,
      `The file is ${size} bytes; Mindee accepts at most ${limits.maxBytes} bytes.`,
    );
  }
  const type = sniff(await head(path));
  if (!type) {
    throw new DomainException(
      ErrorCode.UnsupportedMediaType,
      'The file is not a type Mindee accepts (PDF, JPEG, PNG, WebP, TIFF, HEIC).',
    );
  }
  const pages = type === 'application/pdf' ? await pdfPageSizes(path) : await imagePageSizes(path, type);
  if (pages.length > limits.maxPages) {
    throw new DomainException(
      ErrorCode.TooManyPages,
      `The file has ${pages.length} pages; at most ${limits.maxPages} are sent to Mindee.`,
    );
  }
  return { type, sizeBytes: size, pages };
}

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function sniff(bytes: Buffer): MindeeFileType | null {
  const at = (sig: number[], offset = 0) => sig.every((b, i) => bytes[offset + i] === b);
  if (at([0x89, 0x50, 0x4e, 0x47])) return 'image/png';
  if (at([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at([0x49, 0x49, 0x2a, 0x00]) || at([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (at([0x49, 0x49, 0x2b, 0x00]) || at([0x4d, 0x4d, 0x00, 0x2b])) return 'image/tiff';
  if (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (at([0x66, 0x74, 0x79, 0x70], 4)) return 'image/heic';
  if (bytes.includes('%PDF-')) return 'application/pdf';
  return null;
}

async function imagePageSizes(path: string, type: MindeeFileType): Promise<PageSize[]> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    // sharp's prebuilt libvips lacks an HEIC decoder: Mindee still reads the file, sizes stay unknown.
    if (type === 'image/heic') return [{ width: null, height: null }];
    throw new DomainException(
      ErrorCode.UnreadableFile,
      `The image could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const count = type === 'image/tiff' ? (meta.pages ?? 1) : 1;
  const sizes: PageSize[] = [];
  for (let page = 0; page < count; page++) {
    const m = page === 0 ? meta : await sharp(path, { page, limitInputPixels: false }).metadata();
    const swap = SWAPS_AXES.has(m.orientation ?? 1);
    const width = m.width ?? null;
    const height = m.height ?? null;
    sizes.push(swap ? { width: height, height: width } : { width, height });
  }
  return sizes;
}

async function pdfPageSizes(path: string): Promise<PageSize[]> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(await readFile(path)),
    ...pdfjsAssetUrls(),
    isEvalSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const sizes: PageSize[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      if (n > MINDEE_MAX_PAGES + 1) {
        // Over the limit anyway: the count is what matters from here on.
        sizes.push({ width: null, height: null });
        continue;
      }
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      sizes.push({ width: Math.round(viewport.width), height: Math.round(viewport.height) });
      page.cleanup();
    }
    return sizes;
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'PasswordException') {
      throw new DomainException(
        ErrorCode.EncryptedPdf,
        'The PDF is password-protected; upload it without the password.',
      );
    }
    throw new DomainException(
      ErrorCode.UnreadableFile,
      `The PDF could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
