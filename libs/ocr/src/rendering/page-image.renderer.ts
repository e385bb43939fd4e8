import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { imageError } from '../adapters/local/image-page-source';
import { pdfError } from '../adapters/local/pdf-page-source';
import { loadPdfjs, pdfjsAssetUrls } from '../adapters/local/pdfjs-loader';
import { withPdfPagePixels } from '../adapters/local/pdf-raster';
import { isTurned, NO_TURN, turnAngle, turnedSize, type PageTurn } from '../page-turn';

export type PageImageFormat = 'webp' | 'png';
/**
 * What the renderer writes: a page image, or `pyramid` — a tiled, multi-resolution TIFF (one IFD
 * per halving) that regions and tiles are cut from without decoding the whole page.
 */
export type PageRenderFormat = PageImageFormat | 'pyramid';

export interface PageImageRequest {
  filePath: string;
  mimeType: string;
  /** 1-based, as in the API. */
  page: number;
  width: number;
  /** Exactly this height (the page's declared size) instead of the width's aspect-true height. */
  height?: number;
  format: PageRenderFormat;
  /** How the OCR turned the page (stored with the page); the image is turned the same way. */
  turn?: PageTurn;
}

export interface RenderedPageImage {
  data: Buffer;
  width: number;
  height: number;
  mimeType: string;
}

/** Bumped whenever output pixels change, so cached images made by an older renderer are not served. */
export const PAGE_IMAGE_RENDERER_VERSION = 1;

/**
 * What distinguishes renderings of one page besides its width and format: its turn, so that a
 * page re-read with another orientation is never served from the old picture. '' when not turned.
 */
export function pageImageVariant(turn: PageTurn | undefined): string {
  if (!turn || !isTurned(turn)) return '';
  return `r${turn.rotation}d${Math.round(turn.deskewDegrees * 100)}`;
}

// A page far taller than wide (a receipt roll) at 4000 px wide would be hundreds of megapixels.
const MAX_OUTPUT_PIXELS = 40_000_000;

/**
 * A page as a picture for people, in the same geometry the OCR read it in, so that relative word
 * polygons land on the same content at any width: images are turned upright by their EXIF
 * orientation exactly as the OCR decoder does (sharp's `rotate()`), TIFF pages are picked the same
 * way, and PDF pages go through pdfjs's viewport, which applies the page's /Rotate like OCR's.
 */
export class PageImageRenderer {
  async render(request: PageImageRequest): Promise<RenderedPageImage> {
    const { data, info } =
      request.mimeType === 'application/pdf' ? await this.renderPdf(request) : await this.renderImage(request);
    return {
      data,
      width: info.width,
      height: info.height,
      mimeType: MIME_TYPES[request.format],
    };
  }

  private async renderImage(request: PageImageRequest) {
    const header = await sharp(request.filePath, { limitInputPixels: false })
      .metadata()
      .catch((error: unknown) => {
        throw imageError(error);
      });
    const pages = header.format === 'tiff' ? (header.pages ?? 1) : 1;
    // Same page selection as the OCR's image source: options only for multi-page files.
    const options: sharp.SharpOptions = pages > 1 ? { page: request.page - 1, pages: 1 } : {};
    const meta =
      request.page > 1 ? await sharp(request.filePath, { ...options, limitInputPixels: false }).metadata() : header;
    const swap = [5, 6, 7, 8].includes(meta.orientation ?? 1);
    const uprightWidth = (swap ? meta.height : meta.width) ?? 1;
    const uprightHeight = (swap ? meta.width : meta.height) ?? 1;
    const turn = request.turn ?? NO_TURN;
    const turned = turnedSize({ width: uprightWidth, height: uprightHeight }, turn);
    const width = boundedWidth(request.width, turned.height / turned.width);
    const height = exactHeight(request, width);
    try {
      let pipeline = sharp(request.filePath, { ...options, failOn: 'error' }).rotate();
      // sharp turns before it resizes, so the requested width is the turned image's.
      if (isTurned(turn)) pipeline = pipeline.rotate(turnAngle(turn), { background: '#ffffff' });
      pipeline = pipeline
        .resize({
          width,
          // `fill` only with a height: with a width alone it would keep the original height.
          ...(height ? { height, fit: 'fill' as const } : {}),
          kernel: width < turned.width ? 'lanczos3' : 'mitchell',
        })
        .flatten({ background: '#ffffff' });
      return await encode(pipeline, request.format).toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw imageError(error);
    }
  }

  private async renderPdf(request: PageImageRequest) {
    const pdfjs = await loadPdfjs();
    const task = pdfjs.getDocument({
      data: new Uint8Array(await readFile(request.filePath)),
      ...pdfjsAssetUrls(),
      cMapPacked: true,
      isEvalSupported: false,
      useSystemFonts: false,
      verbosity: pdfjs.VerbosityLevel.ERRORS,
    });
    try {
      const doc = await task.promise;
      const page = await doc.getPage(request.page);
      const base = page.getViewport({ scale: 1 });
      const turn = request.turn ?? NO_TURN;
      const turned = turnedSize(base, turn);
      const width = boundedWidth(request.width, turned.height / turned.width);
      // Drawn at the scale that makes the turned page `width` wide.
      const viewport = page.getViewport({ scale: width / turned.width });
      const canvasWidth = Math.max(1, Math.round(viewport.width));
      const canvasHeight = Math.max(1, Math.round(viewport.height));
      const height = exactHeight(request, width);
      const exact = height ? { width, height, fit: 'fill' as const } : { width };
      try {
        return await withPdfPagePixels(doc, page, viewport, canvasWidth, canvasHeight, (pixels) => {
          let pipeline = pixels;
          if (isTurned(turn)) pipeline = pixels.rotate(turnAngle(turn), { background: '#ffffff' }).resize(exact);
          else if (height && height !== canvasHeight) pipeline = pixels.resize(exact);
          return encode(pipeline, request.format).toBuffer({ resolveWithObject: true });
        });
      } finally {
        page.cleanup();
      }
    } catch (error) {
      throw pdfError(error);
    } finally {
      await task.destroy().catch(() => undefined);
    }
  }
}

function boundedWidth(requested: number, aspect: number): number {
  const byPixels = Math.floor(Math.sqrt(MAX_OUTPUT_PIXELS / Math.max(aspect, 1e-6)));
  return Math.max(1, Math.min(requested, byPixels));
}

/** The requested exact height, unless the pixel bound shrank the width (then the aspect-true one). */
function exactHeight(request: PageImageRequest, width: number): number | undefined {
  return request.height && width === request.width ? request.height : undefined;
}

const MIME_TYPES: Record<PageRenderFormat, string> = { png: 'image/png', webp: 'image/webp', pyramid: 'image/tiff' };

function encode(pipeline: sharp.Sharp, format: PageRenderFormat): sharp.Sharp {
  if (format === 'pyramid') {
    // JPEG-compressed tiles: a 600-dpi page is ~12 MB instead of ~100 MB, and tiles made from it
    // are re-encoded lossily anyway.
    return pipeline.tiff({
      tile: true,
      tileWidth: 256,
      tileHeight: 256,
      pyramid: true,
      compression: 'jpeg',
      quality: 90,
    });
  }
  // Scans are mostly paper and ink: a high-quality lossy WebP is a fraction of the PNG's size.
  return format === 'png' ? pipeline.png({ compressionLevel: 6 }) : pipeline.webp({ quality: 82, effort: 3 });
}
