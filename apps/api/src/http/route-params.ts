import { ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';

/** A document id in a path: anything but a UUID names no document, so it is a 404 like a missing one. */
export const documentIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.DocumentNotFound, 'The document was not found.'),
});

/** A page number in a path: anything but an integer names no page. */
export const pageNumberPipe = new ParseIntPipe({
  exceptionFactory: () => new DomainException(ErrorCode.PageNotFound, 'The page was not found.'),
});
