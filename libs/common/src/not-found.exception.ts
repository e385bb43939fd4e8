import { DomainException } from './domain.exception';
import { ErrorCode } from './error-codes';

export class NotFoundException extends DomainException {
  constructor(what: string, code: string = ErrorCode.NotFound) {
    super(code, `${what} was not found.`);
  }
}
