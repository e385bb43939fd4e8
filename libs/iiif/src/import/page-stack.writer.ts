/**
 * Joins single-page TIFFs into one multi-page TIFF whose pages keep their own sizes. libvips
 * (sharp) writes multi-page TIFFs only from pages of one size, and a manifest's canvases rarely
 * are: this copies each page's directory and data as they are, only moving offsets, so no pixel is
 * decoded or re-encoded here. Inputs are classic little-endian TIFFs (what sharp writes on every
 * platform Recto runs on); the output is one, below 4 GiB.
 */

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
};
/** Offset/length pairs of a page's image data: strips or tiles. */
const DATA_TAGS: [offsets: number, lengths: number][] = [
  [273, 279],
  [324, 325],
];
/** Pointers to further directories (sub-images, EXIF, GPS): dropped, as their offsets would dangle. */
const POINTER_TAGS = new Set([330, 34665, 34853, 40965]);
const MAX_OFFSET = 0xffffffff;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** The value's bytes (inline or not), in file order. */
  value: Buffer;
}

function readEntries(tiff: Buffer, index: number): Entry[] {
  if (tiff.length < 8 || tiff.toString('latin1', 0, 2) !== 'II' || tiff.readUInt16LE(2) !== 42) {
    throw new Error(`page ${index + 1} is not a classic little-endian TIFF`);
  }
  const ifd = tiff.readUInt32LE(4);
  const count = tiff.readUInt16LE(ifd);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    const tag = tiff.readUInt16LE(at);
    const type = tiff.readUInt16LE(at + 2);
    const n = tiff.readUInt32LE(at + 4);
    const size = TYPE_SIZES[type];
    if (size === undefined) throw new Error(`page ${index + 1}: TIFF tag ${tag} has unknown type ${type}`);
    if (POINTER_TAGS.has(tag)) continue;
    const bytes = size * n;
    const start = bytes <= 4 ? at + 8 : tiff.readUInt32LE(at + 8);
    if (start + bytes > tiff.length) throw new Error(`page ${index + 1}: TIFF tag ${tag} runs past the file`);
    entries.push({ tag, type, count: n, value: tiff.subarray(start, start + bytes) });
  }
  return entries;
}

function longs(entry: Entry): number[] {
  const read =
    entry.type === 3 ? (i: number) => entry.value.readUInt16LE(i * 2) : (i: number) => entry.value.readUInt32LE(i * 4);
  return Array.from({ length: entry.count }, (_, i) => read(i));
}

/** The multi-page TIFF as buffers in file order (to stream or concatenate). */
export function writePageStack(pages: Buffer[]): Buffer[] {
  if (pages.length === 0) throw new Error('no page to write');
  const out: Buffer[] = [];
  let offset = 8;
  const append = (chunk: Buffer): number => {
    const at = offset;
    out.push(chunk);
    offset += chunk.length;
    // TIFF offsets are even by convention (word alignment).
    if (offset % 2) {
      out.push(Buffer.alloc(1));
      offset += 1;
    }
    if (offset > MAX_OFFSET) throw new Error('the pages come to more than 4 GiB, beyond a classic TIFF');
    return at;
  };
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  out.push(header);
  const nextPointers: { chunk: Buffer; at: number }[] = [];

  pages.forEach((tiff, index) => {
    const entries = readEntries(tiff, index);
    const byTag = new Map(entries.map((e) => [e.tag, e]));
    // The image data first, with its new offsets written into the offsets entry.
    for (const [offsetsTag, lengthsTag] of DATA_TAGS) {
      const offsets = byTag.get(offsetsTag);
      const lengths = byTag.get(lengthsTag);
      if (!offsets || !lengths) continue;
      const starts = longs(offsets);
      const sizes = longs(lengths);
      if (starts.length !== sizes.length)
        throw new Error(`page ${index + 1}: strip offsets and lengths differ in count`);
      const moved = Buffer.alloc(4 * starts.length);
      starts.forEach((start, i) => {
        if (start + sizes[i] > tiff.length) throw new Error(`page ${index + 1}: image data runs past the file`);
        moved.writeUInt32LE(append(tiff.subarray(start, start + sizes[i])), i * 4);
      });
      byTag.set(offsetsTag, { tag: offsetsTag, type: 4, count: starts.length, value: moved });
    }
    const ordered = [...byTag.values()].sort((a, b) => a.tag - b.tag);
    // Values too long to sit in their entry go before the directory.
    const placed = ordered.map((e) => (e.value.length > 4 ? append(Buffer.from(e.value)) : null));
    const ifd = Buffer.alloc(2 + ordered.length * 12 + 4);
    ifd.writeUInt16LE(ordered.length, 0);
    ordered.forEach((e, i) => {
      const at = 2 + i * 12;
      ifd.writeUInt16LE(e.tag, at);
      ifd.writeUInt16LE(e.type, at + 2);
      ifd.writeUInt32LE(e.count, at + 4);
      if (placed[i] === null) e.value.copy(ifd, at + 8);
      else ifd.writeUInt32LE(placed[i] as number, at + 8);
    });
    const ifdAt = append(ifd);
    if (index === 0) header.writeUInt32LE(ifdAt, 4);
    else nextPointers[index - 1].chunk.writeUInt32LE(ifdAt, nextPointers[index - 1].at);
    nextPointers.push({ chunk: ifd, at: ifd.length - 4 });
  });
  return out;
}
