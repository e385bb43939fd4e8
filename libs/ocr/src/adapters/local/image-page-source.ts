import sharp from 'sharp';
import { DomainException, ErrorCode } from '@recto/common';
import { downscaleGray, upscaleGray } from './gray-image-turner';
import type { GrayImage, PageSource, PageSourceLimits, RasterPage } from './page-source';
import { planResolution, type ResolutionRule, DEFAULT_RESOLUTION_RULE } from './resolution';

// EXIF orientations 5-8 turn the image a quarter, swapping width and height.
const SWAPS_AXES = new Set([5, 6, 7, 8]);

/**
 * PNG, JPEG, WebP, GIF (first frame) and TIFF (every page) through sharp. Every decode carries the
 * pixel limit, and sizes are checked from the header first, so an image bomb fails before any
 * pixel is decoded.
 */
export async function openImageSource(
  filePath: string,
  limits: PageSourceLimits,
  rule: ResolutionRule = DEFAULT_RESOLUTION_RULE,
): Promise<PageSource> {
  const open = (options: sharp.SharpOptions = {}) =>
    sharp(filePath, {
      limitInputPixels: limits.maxPixels,
      failOn: 'error',
      ...options,
    });

  // Headers only, so no pixel limit yet: sizes are checked against it below, with a clearer
  // message than sharp's.
  const metadata = await sharp(filePath, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw imageError(error);
    });
  const pageCount = metadata.format === 'tiff' ? (metadata.pages ?? 1) : 1;
  if (pageCount > limits.maxPages) {
    throw new DomainException(
      ErrorCode.TooManyPages,
      `The file has ${pageCount} pages; at most ${limits.maxPages} are accepted.`,
    );
  }

  return {
    pageCount,
    async page(index: number): Promise<RasterPage> {
      const pageOptions: sharp.SharpOptions = pageCount > 1 ? { page: index, pages: 1 } : {};
      const meta =
        pageCount > 1 && index > 0
          ? await sharp(filePath, { ...pageOptions, limitInputPixels: false })
              .metadata()
              .catch((error: unknown) => {
                throw imageError(error);
              })
          : metadata;
      const stored = { width: meta.width ?? 0, height: meta.height ?? 0 };
      if (!stored.width || !stored.height) {
        throw new DomainException(ErrorCode.UnreadableFile, 'The image has no dimensions.');
      }
      checkPixels(stored.width, stored.height, limits.maxPixels, pageCount > 1 ? index : null);
      const swap = SWAPS_AXES.has(meta.orientation ?? 1);
      const width = swap ? stored.height : stored.width;
      const height = swap ? stored.width : stored.height;
      const plan = planResolution({ width, height, density: meta.density }, rule);
      return {
        kind: 'raster',
        width,
        height,
        plan,
        render: () => decodeGray(open(pageOptions), meta, width, height, plan.scale),
        async renderWithPreview(longSide: number) {
          // Decoded at its own size, then scaled up from the raw grey pixels: the same pixels as
          // render()'s single pipeline (checked on the 24 dev pages), with the small copy on the way.
          const stored = await decodeGray(open(pageOptions), meta, width, height, 1);
          const image =
            plan.scale > 1
              ? await upscaleGray(stored, Math.round(width * plan.scale), Math.round(height * plan.scale)).catch(
                  (error: unknown) => {
                    throw imageError(error);
                  },
                )
              : stored;
          return { image, preview: await downscaleGray(stored, longSide) };
        },
      };
    },
    close: async () => undefined,
  };
}

async function decodeGray(
  image: sharp.Sharp,
  meta: sharp.Metadata,
  width: number,
  height: number,
  scale: number,
): Promise<GrayImage> {
  let pipeline = image.rotate();
  if (meta.hasAlpha && (meta.channels === 2 || meta.channels === 4)) {
    pipeline = pipeline.flatten({ background: '#ffffff' });
  } else if (meta.hasAlpha) {
    // sharp's flatten fails on unusual band layouts (e.g. colour plus two alpha bands, as its
    // own multi-page joins produce); dropping alpha is the next best thing for a scan.
    pipeline = pipeline.removeAlpha();
  }
  pipeline = pipeline.grayscale();
  if (scale > 1) {
    pipeline = pipeline.resize({
      width: Math.round(width * scale),
      height: Math.round(height * scale),
      kernel: 'lanczos3',
      fit: 'fill',
    });
  }
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw imageError(error);
  }
}

function checkPixels(width: number, height: number, maxPixels: number, page: number | null) {
  if (width * height > maxPixels) {
    const where = page === null ? 'The image' : `Page ${page + 1}`;
    throw new DomainException(
      ErrorCode.ImageTooLarge,
      `${where} is ${width}×${height} pixels (${formatMegapixels(width * height)}); at most ` +
        `${formatMegapixels(maxPixels)} are accepted.`,
    );
  }
}

function formatMegapixels(pixels: number): string {
  return `${Math.round(pixels / 1e5) / 10} megapixels`;
}

/** sharp's errors as the domain's: too many pixels, or a file it cannot make sense of. */
export function imageError(error: unknown): DomainException {
  if (error instanceof DomainException) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new DomainException(ErrorCode.ImageTooLarge, 'The image has more pixels than accepted.');
  }
  return new DomainException(
    ErrorCode.UnreadableFile,
    `The image could not be read; it may be corrupt, truncated or not an image (${message.trim()}).`,
  );
}
