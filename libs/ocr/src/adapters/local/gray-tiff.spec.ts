import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeGrayTiff } from './gray-tiff';

describe('writeGrayTiff', () => {
  it('writes a TIFF that reads back with its pixels, size and resolution', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recto-gray-tiff-'));
    try {
      const image = { data: Buffer.from(Array.from({ length: 7 * 3 }, (_, i) => i * 12)), width: 7, height: 3 };
      const file = join(dir, 'page.tif');
      await writeGrayTiff(file, image, 269);
      const meta = await sharp(file).metadata();
      expect(meta).toMatchObject({ format: 'tiff', width: 7, height: 3, channels: 1, density: 269 });
      const { data } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect(Buffer.compare(data, image.data)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
