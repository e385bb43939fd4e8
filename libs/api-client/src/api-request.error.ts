/** An answer the API refused (or could not give), with its problem details. */
export class ApiRequestError extends Error {
  constructor(
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    message: string,
    /** The problem's `code` (see the API contract), when the server sent one. */
    readonly code?: string,
    /** The whole problem-details body, when the server sent one. */
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** Worth another try: the server was busy, throttling or briefly unreachable. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** From a non-2xx answer's body (problem details, or anything else). */
  static fromAnswer(status: number, statusText: string, body: unknown): ApiRequestError {
    const problem = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
    const text = (key: string) => (typeof problem?.[key] === 'string' ? (problem[key] as string) : undefined);
    return new ApiRequestError(
      status,
      text('detail') ?? text('title') ?? `${status} ${statusText}`,
      text('code'),
      problem,
    );
  }
}
