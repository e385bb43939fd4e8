import { testPage } from '@recto/testing';
import sharp from 'sharp';
import { downscaleGray } from './gray-image-turner';
import type { GrayImage } from './page-source';
import { estimateSkew } from './skew-estimator';

/**
 * A synthetic page: rows of "words" (dark bars with gaps) on white, the whole drawing turned
 * clockwise by `tiltDegrees` about the centre, and optionally lying on its side (lines running
 * down the page).
 */
function page(tiltDegrees: number, sideways = false, width = 420, height = 540): GrayImage {
  const data = Buffer.alloc(width * height, 255);
  const t = (-tiltDegrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Undo the tilt to find where this pixel sits on the straight drawing.
      const dx = x - width / 2;
      const dy = y - height / 2;
      let u = dx * cos - dy * sin + width / 2;
      let v = dx * sin + dy * cos + height / 2;
      if (sideways) [u, v] = [v, width - u];
      const inMargin = u < 30 || u > (sideways ? height : width) - 30 || v < 30 || v > (sideways ? width : height) - 30;
      if (inMargin) continue;
      const lineY = v % 18;
      const wordX = (u + Math.floor(v / 18) * 23) % 54;
      if (lineY >= 5 && lineY < 12 && wordX < 42) data[y * width + x] = 20;
    }
  }
  return { data, width, height };
}

describe('estimateSkew', () => {
  it.each([0, 2.7, -6, 14])('finds the clockwise turn that straightens a page tilted %s°', (tilt) => {
    const estimate = estimateSkew(page(tilt));
    expect(estimate.horizontal).toBe(true);
    expect(estimate.degrees).toBeCloseTo(-tilt, 0);
    expect(Math.abs(estimate.degrees + tilt)).toBeLessThanOrEqual(0.3);
  });

  it.each([0, -5])('tells a page lying on its side (tilted %s°) from an upright one', (tilt) => {
    const estimate = estimateSkew(page(tilt, true));
    expect(estimate.horizontal).toBe(false);
    expect(estimate.verticalScore).toBeGreaterThan(estimate.horizontalScore);
    // The straightening turn is the same whichever way the page is then turned by a quarter.
    expect(Math.abs(estimate.degrees + tilt)).toBeLessThanOrEqual(0.3);
  });

  it('leaves a blank page alone', () => {
    const blank = { data: Buffer.alloc(400 * 500, 250), width: 400, height: 500 };
    expect(estimateSkew(blank)).toMatchObject({ degrees: 0, horizontal: true });
  });

  it('does not look beyond the angle range it is given', () => {
    const estimate = estimateSkew(page(12), { maxDegrees: 5 });
    expect(Math.abs(estimate.degrees)).toBeLessThanOrEqual(5);
  });

  // Vendored pages turned by sharp as the eval's variants are: a 150 dpi typeset letter and a
  // 600 dpi book page. The estimate undoes the turn up to the page's own tilt (under 0.1° on
  // these), on the same 1000 px copy the engine uses.
  it.each([
    ['synthetic_letter', 3],
    ['synthetic_letter', -6],
    ['synthetic_two_columns', 6],
    ['ocrd_gtst_bebel_frau_1879_0146', -3],
    ['ocrd_gtst_bebel_frau_1879_0146', 6],
  ])(
    'straightens the vendored page %s turned %s°',
    async (name, degrees) => {
      const file = testPage(name).imagePath;
      const upright = estimateSkew(await copyOf(sharp(file)));
      const estimate = estimateSkew(await copyOf(sharp(file).rotate(degrees, { background: '#ffffff' })));
      expect(estimate.horizontal).toBe(true);
      expect(Math.abs(upright.degrees)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(estimate.degrees + degrees)).toBeLessThanOrEqual(0.15);
      // Decoding and turning a 26 MP page is slow on a busy machine; no duration is asserted.
    },
    120_000,
  );
});

async function copyOf(image: sharp.Sharp): Promise<GrayImage> {
  const { data, info } = await image.grayscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return downscaleGray({ data, width: info.width, height: info.height }, 1000);
}
