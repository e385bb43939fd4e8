import { DomainException, ErrorCode } from '@recto/common';

export class FileTooLargeException extends DomainException {
  constructor(limitBytes: number) {
    super(ErrorCode.PayloadTooLarge, `The file is larger than the limit of ${limitBytes} bytes.`);
  }
}
