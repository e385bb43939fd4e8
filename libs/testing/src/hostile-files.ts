import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid PNG header declaring width×height grey pixels with only the first rows of data: a
 * "pixel bomb" of a few hundred bytes that a decoder must refuse from its header alone.
 */
export function pngPixelBomb(width = 30000, height = 30000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * 4); // filter byte + pixels, 4 rows
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF under the standard security handler whose user password is not empty. */
export function encryptedPdf(): Buffer {
  const hex32 = (seed: number) =>
    Array.from({ length: 32 }, (_, i) => ((i * 37 + seed) % 256).toString(16).padStart(2, '0')).join('');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${hex32(1)}> /U <${hex32(2)}> >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body +=
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R ` +
    `/ID [<${hex32(3).slice(0, 32)}> <${hex32(3).slice(0, 32)}>] >>\n` +
    `startxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A PDF whose page tree claims `pages` pages, all sharing one page object: a few hundred bytes per 1,000 pages. */
export function manyPagePdf(pages: number): Buffer {
  const kids = Array.from({ length: pages }, () => '3 0 R').join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A little-endian TIFF whose one IFD declares width×height 8-bit grey pixels in a strip that is not there. */
export function tiffWithDimensions(width: number, height: number): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 4, width], // ImageWidth
    [257, 4, height], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: black is zero
    [273, 4, 8 + 2 + 9 * 12 + 4], // StripOffsets: just past the IFD
    [277, 3, 1], // SamplesPerPixel
    [278, 4, height], // RowsPerStrip
    [279, 4, Math.min(width * height, 0xffffffff)], // StripByteCounts (far more than the file holds)
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, value], i) => {
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(1, at + 4);
    if (type === 3) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value, at + 8);
  });
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  return Buffer.concat([header, ifd, Buffer.alloc(64, 0x80)]);
}

/** ALTO that declares an external entity (XXE) and uses it where a word's text goes. */
export function xxeAlto(target = 'file:///etc/passwd'): Buffer {
  return Buffer.from(`<?xml version="1.0"?>
<!DOCTYPE alto [<!ENTITY x SYSTEM "${target}">]>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page WIDTH="100" HEIGHT="100"><PrintSpace><TextBlock>
<TextLine><String CONTENT="&x;" HPOS="1" VPOS="1" WIDTH="10" HEIGHT="10"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>`);
}

/** The billion laughs: ten levels of ten-fold entity expansion (3 GB of "lol" if expanded). */
export function billionLaughsAlto(): Buffer {
  let dtd = '<!ENTITY lol0 "lol">';
  for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
  return Buffer.from(`<?xml version="1.0"?>
<!DOCTYPE alto [${dtd}]>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page WIDTH="100" HEIGHT="100"><PrintSpace><TextBlock>
<TextLine><String CONTENT="&lol9;" HPOS="1" VPOS="1" WIDTH="10" HEIGHT="10"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>`);
}

/** An ALTO document element with `bytes` of nested elements inside (a parser that recurses would blow its stack). */
export function deeplyNestedAlto(bytes = 50 * 1024 * 1024): Buffer {
  const head = '<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">';
  const levels = Math.floor(bytes / 7);
  return Buffer.concat([
    Buffer.from(head),
    Buffer.alloc(levels * 3, '<a>'),
    Buffer.alloc(levels * 4, '</a>'.slice(0, 4)),
  ]);
}
