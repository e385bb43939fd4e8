import sharp, { type Sharp } from 'sharp';
import type { Pdfjs } from './pdfjs-loader';

export type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;
type PdfViewport = ReturnType<PdfPage['getViewport']>;

interface CanvasFactory {
  create(w: number, h: number): { canvas: unknown; context: CanvasRenderingContext2D };
  destroy(target: { canvas: unknown; context: unknown }): void;
}

/**
 * Draws a PDF page on a width×height canvas from pdfjs's own canvas factory and hands its pixels,
 * flattened on white, to `use` as a sharp pipeline. The canvas lives until `use` has finished,
 * because sharp reads its input lazily and the pixels are not copied.
 */
export async function withPdfPagePixels<T>(
  doc: PdfDocument,
  page: PdfPage,
  viewport: PdfViewport,
  width: number,
  height: number,
  use: (pixels: Sharp) => Promise<T>,
): Promise<T> {
  const factory = doc.canvasFactory as CanvasFactory;
  const target = factory.create(width, height);
  try {
    await page.render({ canvas: target.canvas as HTMLCanvasElement, canvasContext: target.context, viewport }).promise;
    const rgba = target.context.getImageData(0, 0, width, height).data;
    return await use(
      sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
        raw: { width, height, channels: 4 },
      }).flatten({
        background: '#ffffff',
      }),
    );
  } finally {
    factory.destroy(target);
  }
}
