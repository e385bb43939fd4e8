import { sniffMimeType } from './mime-sniffer';

const b = (...bytes: number[]) => Buffer.from(bytes);

describe('sniffMimeType', () => {
  it.each([
    ['image/png', b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)],
    ['image/jpeg', b(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ['image/tiff', b(0x49, 0x49, 0x2a, 0x00, 8, 0)],
    ['image/tiff', b(0x4d, 0x4d, 0x00, 0x2a, 0, 8)],
    ['image/webp', Buffer.concat([Buffer.from('RIFF'), b(0, 0, 0, 0), Buffer.from('WEBPVP8 ')])],
    ['image/heic', Buffer.concat([b(0, 0, 0, 0x18), Buffer.from('ftypheic'), b(0, 0, 0, 0)])],
    ['application/pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n')],
    ['application/pdf', Buffer.concat([Buffer.alloc(100, 0x20), Buffer.from('%PDF-1.4')])],
  ])('detects %s', (type, head) => {
    expect(sniffMimeType(head)).toBe(type);
  });

  it.each([
    ['plain text named .pdf', Buffer.from('hello, this is not a pdf')],
    ['empty', Buffer.alloc(0)],
    ['a GIF', Buffer.from('GIF89a')],
    ['a zip', b(0x50, 0x4b, 0x03, 0x04)],
    ['an mp4', Buffer.concat([b(0, 0, 0, 0x18), Buffer.from('ftypisom')])],
  ])('rejects %s', (_name, head) => {
    expect(sniffMimeType(head)).toBeNull();
  });
});
