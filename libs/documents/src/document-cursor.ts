import { DomainException, ErrorCode } from '@recto/common';

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/** Opaque keyset cursors: stable under inserts, unlike offsets. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new DomainException(ErrorCode.ValidationFailed, 'The cursor is not valid.', [
      { pointer: '/cursor', detail: 'not a cursor returned by this API' },
    ]);
  }
  return { createdAt, id };
}
