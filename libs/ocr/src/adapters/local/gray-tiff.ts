import { open } from 'node:fs/promises';
import type { GrayImage } from './page-source';

// Field types of TIFF 6.0 (section 2).
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;

/** Writes `image` at `dpi` to `path` as an uncompressed greyscale TIFF (no copy of the pixels). */
export async function writeGrayTiff(path: string, image: GrayImage, dpi: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writev([grayTiffHeader(image, dpi), image.data]);
  } finally {
    await handle.close();
  }
}

/**
 * The header of an uncompressed 8-bit greyscale TIFF of `image` at `dpi` (little endian, one
 * strip): the page file the streamed native program reads, since the resolution must travel with
 * each page (a PGM carries none) and raw pixels cost nothing to encode. Write `image.data` after it.
 */
export function grayTiffHeader(image: GrayImage, dpi: number): Buffer {
  const ifdOffset = 8;
  const tagCount = 12;
  const resolutionOffset = ifdOffset + 2 + tagCount * 12 + 4;
  const dataOffset = resolutionOffset + 8;
  // Baseline tags, in ascending order as TIFF requires.
  const tags: [tag: number, type: number, value: number][] = [
    [256, LONG, image.width], // ImageWidth
    [257, LONG, image.height], // ImageLength
    [258, SHORT, 8], // BitsPerSample
    [259, SHORT, 1], // Compression: none
    [262, SHORT, 1], // PhotometricInterpretation: BlackIsZero
    [273, LONG, dataOffset], // StripOffsets
    [277, SHORT, 1], // SamplesPerPixel
    [278, LONG, image.height], // RowsPerStrip: the whole image
    [279, LONG, image.data.length], // StripByteCounts
    [282, RATIONAL, resolutionOffset], // XResolution
    [283, RATIONAL, resolutionOffset], // YResolution: the same rational
    [296, SHORT, 2], // ResolutionUnit: inch
  ];
  const header = Buffer.alloc(dataOffset);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(ifdOffset, 4);
  header.writeUInt16LE(tagCount, ifdOffset);
  tags.forEach(([tag, type, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    header.writeUInt16LE(tag, at);
    header.writeUInt16LE(type, at + 2);
    header.writeUInt32LE(1, at + 4);
    if (type === SHORT) header.writeUInt16LE(value, at + 8);
    else header.writeUInt32LE(value, at + 8);
  });
  // The next-IFD offset after the tags stays 0: one image.
  header.writeUInt32LE(Math.round(dpi), resolutionOffset);
  header.writeUInt32LE(1, resolutionOffset + 4);
  return header;
}
