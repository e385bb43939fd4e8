import sharp from 'sharp';
import type { GrayImage } from './page-source';

function raw(image: GrayImage): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

async function toGray(pipeline: sharp.Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.extractChannel(0).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The image turned clockwise by `degrees` about its centre onto a canvas grown to hold all of it,
 * corners white (paper), as the page image renderer turns the served image.
 */
export function turnGray(image: GrayImage, degrees: number): Promise<GrayImage> {
  return toGray(raw(image).rotate(degrees, { background: '#ffffff' }));
}

/** A copy at most `longSide` pixels on its long side, for cheap page-level estimates. */
export function downscaleGray(image: GrayImage, longSide: number): Promise<GrayImage> {
  if (Math.max(image.width, image.height) <= longSide) return Promise.resolve(image);
  return toGray(raw(image).resize({ width: longSide, height: longSide, fit: 'inside' }));
}

/** The image scaled up to `width`×`height` with the kernel pages are scaled up with for OCR. */
export function upscaleGray(image: GrayImage, width: number, height: number): Promise<GrayImage> {
  return toGray(raw(image).resize({ width, height, kernel: 'lanczos3', fit: 'fill' }));
}

/** Unsharp masking with a Gaussian of `sigma` pixels (sharp's defaults for flat and jagged areas). */
export function sharpenGray(image: GrayImage, sigma: number): Promise<GrayImage> {
  return toGray(raw(image).sharpen({ sigma }));
}
