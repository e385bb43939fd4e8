import { DomainException, ErrorCode } from '@recto/common';

export type ImageQuality = 'default' | 'color' | 'gray' | 'bitonal';
export type ImageApiFormat = 'jpg' | 'png' | 'webp';

export const IMAGE_QUALITIES: readonly ImageQuality[] = ['default', 'color', 'gray', 'bitonal'];
export const IMAGE_FORMATS: readonly ImageApiFormat[] = ['jpg', 'png', 'webp'];

export interface ImageSize {
  width: number;
  height: number;
}

/** The server's limits for one image, as declared in its info.json. */
export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxArea: number;
}

/** The five path parameters of an Image API request, as they came in (`quality.format` split). */
export interface ImageRequestParams {
  region: string;
  size: string;
  rotation: string;
  quality: string;
  format: string;
}

/** A valid request resolved against one image: the pixels to cut and what to make of them. */
export interface ImageRequest {
  /** In full-image pixels, already cropped at the image's edges. */
  region: { x: number; y: number; width: number; height: number };
  /** The scaled region, before rotation. */
  size: ImageSize;
  mirror: boolean;
  /** Clockwise degrees, 0 ≤ rotation < 360. */
  rotation: number;
  quality: ImageQuality;
  format: ImageApiFormat;
  /** The request in the spec's canonical form (`region/size/rotation/quality.format`). */
  canonical: string;
}

export class InvalidImageRequestException extends DomainException {
  constructor(parameter: keyof ImageRequestParams, detail: string) {
    super(ErrorCode.InvalidImageRequest, `Invalid IIIF image request: ${detail}`, [
      { pointer: `/${parameter}`, detail },
    ]);
  }
}

const INT = /^\d+$/;
const FLOAT = /^\d+(\.\d+)?$/;

function ints(raw: string, parameter: keyof ImageRequestParams, count: number): number[] {
  const parts = raw.split(',');
  if (parts.length !== count || !parts.every((p) => INT.test(p))) {
    throw new InvalidImageRequestException(parameter, `"${raw}" is not ${count} non-negative integers`);
  }
  return parts.map(Number);
}

function floats(raw: string, parameter: keyof ImageRequestParams, count: number): number[] {
  const parts = raw.split(',');
  if (parts.length !== count || !parts.every((p) => FLOAT.test(p))) {
    throw new InvalidImageRequestException(parameter, `"${raw}" is not ${count} non-negative numbers`);
  }
  return parts.map(Number);
}

function parseRegion(raw: string, image: ImageSize): ImageRequest['region'] & { full: boolean } {
  if (raw === 'full') return { x: 0, y: 0, width: image.width, height: image.height, full: true };
  let x: number, y: number, w: number, h: number;
  if (raw === 'square') {
    const side = Math.min(image.width, image.height);
    [x, y, w, h] = [Math.floor((image.width - side) / 2), Math.floor((image.height - side) / 2), side, side];
  } else if (raw.startsWith('pct:')) {
    const [px, py, pw, ph] = floats(raw.slice(4), 'region', 4);
    x = Math.round((px * image.width) / 100);
    y = Math.round((py * image.height) / 100);
    w = Math.round(((px + pw) * image.width) / 100) - x;
    h = Math.round(((py + ph) * image.height) / 100) - y;
  } else {
    [x, y, w, h] = ints(raw, 'region', 4);
  }
  if (w <= 0 || h <= 0) throw new InvalidImageRequestException('region', 'the region has no width or height');
  if (x >= image.width || y >= image.height) {
    throw new InvalidImageRequestException('region', 'the region lies outside the image');
  }
  // Cropped at the image's edge rather than padded (§4.1).
  w = Math.min(w, image.width - x);
  h = Math.min(h, image.height - y);
  const full = x === 0 && y === 0 && w === image.width && h === image.height;
  return { x, y, width: w, height: h, full };
}

function parseSize(raw: string, region: ImageSize, limits: ImageLimits): ImageSize & { max: boolean; up: boolean } {
  const up = raw.startsWith('^');
  const spec = up ? raw.slice(1) : raw;
  let width: number, height: number;
  let max = false;
  if (spec === 'max') {
    max = true;
    // The largest the limits allow: the region itself, or (with ^) scaled up to the limits.
    let scale = Math.min(
      limits.maxWidth / region.width,
      limits.maxHeight / region.height,
      Math.sqrt(limits.maxArea / (region.width * region.height)),
    );
    if (!up) scale = Math.min(1, scale);
    width = Math.max(1, Math.floor(region.width * scale));
    height = Math.max(1, Math.floor(region.height * scale));
  } else if (spec.startsWith('pct:')) {
    const [n] = floats(spec.slice(4), 'size', 1);
    width = Math.round((region.width * n) / 100);
    height = Math.round((region.height * n) / 100);
  } else if (spec.startsWith('!')) {
    const [w, h] = ints(spec.slice(1), 'size', 2);
    let scale = Math.min(w / region.width, h / region.height);
    if (!up) scale = Math.min(1, scale);
    width = Math.min(w, Math.round(region.width * scale));
    height = Math.min(h, Math.round(region.height * scale));
  } else if (/^\d+,$/.test(spec)) {
    width = Number(spec.slice(0, -1));
    height = Math.round((region.height * width) / region.width);
  } else if (/^,\d+$/.test(spec)) {
    height = Number(spec.slice(1));
    width = Math.round((region.width * height) / region.height);
  } else if (/^\d+,\d+$/.test(spec)) {
    [width, height] = ints(spec, 'size', 2);
  } else {
    throw new InvalidImageRequestException('size', `"${raw}" is not a size (max, w,, ,h, pct:n, w,h, !w,h, ^…)`);
  }
  if (width < 1 || height < 1)
    throw new InvalidImageRequestException('size', 'the scaled image would be under 1 pixel');
  if (!up && (width > region.width || height > region.height)) {
    throw new InvalidImageRequestException('size', 'scaling up needs the ^ prefix');
  }
  if (width > limits.maxWidth || height > limits.maxHeight || width * height > limits.maxArea) {
    throw new InvalidImageRequestException('size', 'the scaled image would exceed maxWidth, maxHeight or maxArea');
  }
  return { width, height, max, up };
}

function parseRotation(raw: string): { mirror: boolean; rotation: number } {
  const mirror = raw.startsWith('!');
  const value = mirror ? raw.slice(1) : raw;
  if (!FLOAT.test(value) || Number(value) > 360) {
    throw new InvalidImageRequestException('rotation', `"${raw}" is not a rotation from 0 to 360 (optionally !)`);
  }
  return { mirror, rotation: Number(value) % 360 };
}

/**
 * An IIIF Image API 3.0 request (region, size, rotation, quality, format) checked against one
 * image, with the spec's 400 cases: bad syntax, an empty or outside region, a size under one pixel,
 * upscaling without `^`, a size over the limits, an unknown quality or format.
 */
export function parseImageRequest(params: ImageRequestParams, image: ImageSize, limits: ImageLimits): ImageRequest {
  const region = parseRegion(params.region, image);
  const size = parseSize(params.size, region, limits);
  const { mirror, rotation } = parseRotation(params.rotation);
  if (!IMAGE_QUALITIES.includes(params.quality as ImageQuality)) {
    throw new InvalidImageRequestException(
      'quality',
      `"${params.quality}" is not one of ${IMAGE_QUALITIES.join(', ')}`,
    );
  }
  if (!IMAGE_FORMATS.includes(params.format as ImageApiFormat)) {
    throw new InvalidImageRequestException('format', `"${params.format}" is not one of ${IMAGE_FORMATS.join(', ')}`);
  }
  const regionText = region.full ? 'full' : `${region.x},${region.y},${region.width},${region.height}`;
  const upscaled = size.width > region.width || size.height > region.height;
  const atRegionSize = size.width === region.width && size.height === region.height;
  const sizeText =
    size.max || atRegionSize ? `${upscaled ? '^' : ''}max` : `${upscaled ? '^' : ''}${size.width},${size.height}`;
  const rotationText = `${mirror ? '!' : ''}${rotation}`;
  return {
    region: { x: region.x, y: region.y, width: region.width, height: region.height },
    size: { width: size.width, height: size.height },
    mirror,
    rotation,
    quality: params.quality as ImageQuality,
    format: params.format as ImageApiFormat,
    canonical: `${regionText}/${sizeText}/${rotationText}/${params.quality}.${params.format}`,
  };
}
