import { ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';

/** A malformed document id is a missing document, not a validation error (ids are opaque). */
export const documentIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.DocumentNotFound, 'The document was not found.'),
});

export const pageNumberPipe = new ParseIntPipe({
  exceptionFactory: () => new DomainException(ErrorCode.PageNotFound, 'The page was not found.'),
});
