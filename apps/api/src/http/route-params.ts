import { ParseIntPipe } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';

export { documentIdPipe } from '../documents/document-id.pipe';

export const pageNumberPipe = new ParseIntPipe({
  exceptionFactory: () => new DomainException(ErrorCode.PageNotFound, 'The page was not found.'),
});
