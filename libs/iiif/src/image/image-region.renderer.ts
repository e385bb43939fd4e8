import sharp from 'sharp';
import type { ImageApiFormat, ImageRequest, ImageSize } from './image-request.parser';

export const IMAGE_MIME_TYPES: Record<ImageApiFormat, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/**
 * Cuts an Image API request out of a page's pyramid TIFF (see PageImageService.source): the
 * smallest level still at least as detailed as the output is read, and of it only the tiles the
 * region covers, so a tile of a 600-dpi page never decodes the page.
 */
export class ImageRegionRenderer {
  async render(sourcePath: string, source: ImageSize, request: ImageRequest): Promise<Buffer> {
    const { region, size } = request;
    const levels = (await sharp(sourcePath).metadata()).pages ?? 1;
    const shrink = Math.min(region.width / size.width, region.height / size.height);
    const level = Math.max(0, Math.min(levels - 1, Math.floor(Math.log2(Math.max(1, shrink)))));
    const meta = level === 0 ? source : await sharp(sourcePath, { page: level }).metadata();
    const sx = (meta.width ?? source.width) / source.width;
    const sy = (meta.height ?? source.height) / source.height;
    const left = Math.min(Math.floor(region.x * sx), (meta.width ?? 1) - 1);
    const top = Math.min(Math.floor(region.y * sy), (meta.height ?? 1) - 1);
    const width = Math.max(1, Math.min((meta.width ?? 1) - left, Math.round(region.width * sx)));
    const height = Math.max(1, Math.min((meta.height ?? 1) - top, Math.round(region.height * sy)));
    // Two pipelines: sharp would otherwise rotate before it resizes, and the spec's order is
    // region, size, mirror, rotation, quality.
    const scaled = await sharp(sourcePath, { page: level })
      .extract({ left, top, width, height })
      .resize({ width: size.width, height: size.height, fit: 'fill', kernel: 'lanczos3' })
      .png({ compressionLevel: 0 })
      .toBuffer();
    let pipeline = sharp(scaled);
    if (request.mirror) pipeline = pipeline.flop();
    if (request.rotation % 90 === 0) {
      if (request.rotation) pipeline = pipeline.rotate(request.rotation);
    } else if (request.format === 'jpg') {
      pipeline = pipeline.rotate(request.rotation, { background: '#ffffff' });
    } else {
      // Transparent corners where the format has an alpha channel (§4.3).
      pipeline = pipeline.ensureAlpha().rotate(request.rotation, { background: { r: 0, g: 0, b: 0, alpha: 0 } });
    }
    if (request.quality === 'gray') pipeline = pipeline.grayscale();
    if (request.quality === 'bitonal') pipeline = pipeline.grayscale().threshold(128);
    if (request.format === 'png') return pipeline.png({ compressionLevel: 6 }).toBuffer();
    if (request.format === 'webp') return pipeline.webp({ quality: 82, effort: 3 }).toBuffer();
    return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer();
  }
}
