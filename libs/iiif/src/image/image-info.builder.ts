import type { JsonObject } from '../iiif-types';
import { IMAGE_FORMATS, IMAGE_QUALITIES, ImageLimits, ImageRequest, ImageSize } from './image-request.parser';

/** Tiles are 512 px squares: OpenSeadragon's and Mirador's usual size, a few dozen per 600-dpi page. */
export const IMAGE_TILE_SIZE = 512;
/** WebP's largest side; `max` beyond it is scaled down, as the spec allows. */
const MAX_SIDE = 16383;
/** Upscaling (`^`) goes no further than this many pixels, or the image's own area if larger. */
const MIN_MAX_AREA = 4096 * 4096;
/** Smallest of the `sizes` listed: a thumbnail. */
const MIN_LISTED_SIDE = 64;

export function imageLimitsOf(image: ImageSize): ImageLimits {
  return { maxWidth: MAX_SIDE, maxHeight: MAX_SIDE, maxArea: Math.max(image.width * image.height, MIN_MAX_AREA) };
}

/** Halvings until the whole image fits one tile. */
export function scaleFactorsOf(image: ImageSize): number[] {
  const factors = [1];
  while (Math.max(image.width, image.height) / factors[factors.length - 1] > IMAGE_TILE_SIZE) {
    factors.push(factors[factors.length - 1] * 2);
  }
  return factors;
}

/** The whole image at each scale factor (smallest first, as the spec's examples list them). */
export function sizesOf(image: ImageSize): ImageSize[] {
  return scaleFactorsOf(image)
    .map((f) => ({ width: Math.ceil(image.width / f), height: Math.ceil(image.height / f) }))
    .filter((s, i) => i === 0 || Math.max(s.width, s.height) >= MIN_LISTED_SIDE)
    .reverse();
}

/**
 * Whether a request is one the info.json announces (a tile of the grid or a listed size), upright
 * and unmirrored: those are worth keeping on disk — a bounded set per page — while any other
 * region or size is rendered each time.
 */
export function isAnnouncedRequest(request: ImageRequest, image: ImageSize): boolean {
  if (request.rotation !== 0 || request.mirror) return false;
  const { region, size } = request;
  const near = (a: number, b: number) => Math.abs(a - b) <= 1;
  const full = region.x === 0 && region.y === 0 && region.width === image.width && region.height === image.height;
  if (full && sizesOf(image).some((s) => near(s.width, size.width) && near(s.height, size.height))) return true;
  return scaleFactorsOf(image).some((f) => {
    const span = IMAGE_TILE_SIZE * f;
    return (
      region.x % span === 0 &&
      region.y % span === 0 &&
      region.width === Math.min(span, image.width - region.x) &&
      region.height === Math.min(span, image.height - region.y) &&
      near(size.width, Math.ceil(region.width / f)) &&
      near(size.height, Math.ceil(region.height / f))
    );
  });
}

/** IIIF Image API 3.0 image information (`info.json`) of a level 2 service. */
export function buildImageInfo(id: string, image: ImageSize): JsonObject {
  return {
    '@context': 'http://iiif.io/api/image/3/context.json',
    id,
    type: 'ImageService3',
    protocol: 'http://iiif.io/api/image',
    profile: 'level2',
    width: image.width,
    height: image.height,
    ...imageLimitsOf(image),
    sizes: sizesOf(image),
    tiles: [{ width: IMAGE_TILE_SIZE, height: IMAGE_TILE_SIZE, scaleFactors: scaleFactorsOf(image) }],
    extraQualities: IMAGE_QUALITIES.filter((q) => q !== 'default'),
    extraFormats: IMAGE_FORMATS.filter((f) => f !== 'jpg' && f !== 'png'),
    preferredFormats: ['jpg'],
    extraFeatures: ['mirroring', 'rotationArbitrary', 'sizeUpscaling', 'canonicalLinkHeader', 'profileLinkHeader'],
  };
}
