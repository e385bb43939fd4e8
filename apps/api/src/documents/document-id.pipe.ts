import { ParseUUIDPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';

/** A document id in a path: anything but a UUID names no document, so it is a 404 like a missing one. */
export const documentIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.DocumentNotFound, 'The document was not found.'),
});
