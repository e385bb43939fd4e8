import { DomainException, ErrorCode } from '@recto/common';

/** 429; the problem-details filter turns `retryAfterSeconds` into a `Retry-After` header. */
export class TooManyRequestsException extends DomainException {
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
    windowSeconds: number,
  ) {
    super(
      ErrorCode.TooManyRequests,
      `Too many requests: at most ${limit} per ${windowSeconds} s for this key; retry in ${retryAfterSeconds} s.`,
    );
  }
}
