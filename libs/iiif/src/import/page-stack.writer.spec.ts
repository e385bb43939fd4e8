import sharp from 'sharp';
import { writePageStack } from './page-stack.writer';

const page = (width: number, height: number, colour: string, compression: 'jpeg' | 'deflate') =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .tiff({ compression, quality: 90 })
    .toBuffer();

describe('writePageStack', () => {
  it('joins pages of different sizes into one TIFF whose pages sharp reads back unchanged', async () => {
    const sizes = [
      [300, 400, '#ff0000', 'jpeg'],
      [512, 200, '#00ff00', 'deflate'],
      [90, 1200, '#0000ff', 'jpeg'],
    ] as const;
    const pages = await Promise.all(sizes.map(([w, h, c, z]) => page(w, h, c, z)));
    const stack = Buffer.concat(writePageStack(pages));
    expect((await sharp(stack).metadata()).pages).toBe(3);
    for (const [i, [width, height, colour]] of sizes.entries()) {
      const meta = await sharp(stack, { page: i, pages: 1 }).metadata();
      expect([meta.width, meta.height]).toEqual([width, height]);
      const { channels } = await sharp(stack, { page: i, pages: 1 }).stats();
      const expected = [1, 3, 5].map((k) => parseInt(colour.slice(k, k + 2), 16));
      channels.slice(0, 3).forEach((c, k) => expect(Math.abs(c.mean - expected[k])).toBeLessThan(4));
    }
  });

  it('refuses what is not a little-endian TIFF', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(() => writePageStack([png])).toThrow(/page 1 is not a classic little-endian TIFF/);
  });
});
