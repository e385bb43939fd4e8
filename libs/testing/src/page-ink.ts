import sharp from 'sharp';

export interface GrayPixels {
  pixels: Buffer;
  width: number;
  height: number;
}

export async function grayPixels(data: Buffer | string): Promise<GrayPixels> {
  const { data: pixels, info } = await sharp(data).grayscale().raw().toBuffer({ resolveWithObject: true });
  return { pixels, width: info.width, height: info.height };
}

/** Share of dark pixels inside a word's box on an image, the box taken from its relative polygon. */
export function inkIn(image: GrayPixels, polygon: [number, number][]): number {
  const xs = polygon.map((p) => p[0] * image.width);
  const ys = polygon.map((p) => p[1] * image.height);
  const [x0, x1] = [Math.floor(Math.min(...xs)), Math.ceil(Math.max(...xs))];
  const [y0, y1] = [Math.floor(Math.min(...ys)), Math.ceil(Math.max(...ys))];
  let dark = 0;
  let all = 0;
  for (let y = Math.max(0, y0); y < Math.min(image.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(image.width, x1); x++) {
      all++;
      if (image.pixels[y * image.width + x] < 140) dark++;
    }
  }
  return all > 0 ? dark / all : 0;
}
