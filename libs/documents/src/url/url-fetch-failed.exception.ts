import { DomainException, ErrorCode } from '@recto/common';

/** A URL could not be fetched; `status` is the HTTP status it answered, null when it did not answer. */
export class UrlFetchFailedException extends DomainException {
  constructor(
    detail: string,
    readonly status: number | null,
  ) {
    super(ErrorCode.UrlFetchFailed, detail, [{ pointer: '/url', detail: 'fetch failed' }]);
  }

  /**
   * Worth trying again later (a background import retries these): no answer (a timeout, a reset
   * connection, a name that did not resolve), a 5xx, 408 or 429. A 404 or a redirect stays so.
   */
  get transient(): boolean {
    return this.status === null || this.status >= 500 || this.status === 408 || this.status === 429;
  }
}
