import { readFile } from 'node:fs/promises';
import { openImageSource } from '../local/image-page-source';
import type { PageSourceLimits } from '../local/page-source';
import { pdfError } from '../local/pdf-page-source';
import { loadPdfjs, pdfjsAssetUrls } from '../local/pdfjs-loader';

export interface PageSizeLimits extends PageSourceLimits {
  /** PDF pages are sized as if rendered at this resolution, like OCRed PDF pages (300). */
  pdfDpi?: number;
}

/**
 * The size of every page of an image/PDF/TIFF as the pipeline sees it, without decoding a pixel:
 * images after EXIF orientation, TIFF page by page, PDF pages (rotation applied) at `pdfDpi`.
 * Imported OCR is checked against these and its pages take them.
 */
export async function readPageSizes(
  filePath: string,
  mimeType: string,
  limits: PageSizeLimits,
): Promise<{ width: number; height: number }[]> {
  if (mimeType !== 'application/pdf') {
    const source = await openImageSource(filePath, limits);
    try {
      const sizes = [];
      for (let i = 0; i < source.pageCount; i++) {
        const { width, height } = await source.page(i);
        sizes.push({ width, height });
      }
      return sizes;
    } finally {
      await source.close();
    }
  }
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(await readFile(filePath)),
    ...pdfjsAssetUrls(),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const scale = (limits.pdfDpi ?? 300) / 72;
    const sizes = [];
    for (let n = 1; n <= Math.min(doc.numPages, limits.maxPages + 1); n++) {
      const viewport = (await doc.getPage(n)).getViewport({ scale });
      sizes.push({ width: Math.round(viewport.width), height: Math.round(viewport.height) });
    }
    return sizes;
  } catch (error) {
    throw pdfError(error);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
