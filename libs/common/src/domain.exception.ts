/**
 * Every domain error carries a stable machine code and no HTTP status (the global filter maps
 * codes to statuses), so that libs stay transport-agnostic and the worker can store the same
 * problem details it would have answered over HTTP.
 */
export interface ErrorItem {
  pointer: string | null;
  detail: string;
}

export class DomainException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: ErrorItem[] = [],
    /** A permanent failure must not be retried (bad input); a transient one may be. */
    readonly permanent = true,
    /** What went wrong inside (logged, never answered): an address, a driver's message. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
  }
}
