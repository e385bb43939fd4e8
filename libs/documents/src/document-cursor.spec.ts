import { DomainException } from '@recto/common';
import { decodeCursor, encodeCursor } from './document-cursor';

describe('document cursor', () => {
  it('round-trips a position', () => {
    const position = { createdAt: new Date('2026-11-30T01:02:03.456Z'), id: '2b1c4a0e-8f7d-4c51-9a4e-3d5b6c7e8f90' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each(['', 'garbage', Buffer.from('x|y').toString('base64url')])('rejects %j', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainException);
  });
});
