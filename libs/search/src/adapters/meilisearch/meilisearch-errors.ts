import { DomainException, ErrorCode } from '@recto/common';
import { MeiliErrorResponse, MeiliSearchApiError, MeiliTask } from './meilisearch-client';

export interface MeiliErrorInfo {
  status?: number;
  /** Meilisearch error code, e.g. `index_not_found`. */
  code?: string;
  /** Meilisearch error type: `invalid_request`, `internal`, `auth`, `system`. */
  type?: string;
  message: string;
}

/**
 * Finds the API error in what the client threw. With a custom `httpClient`, the client wraps
 * every error in a `MeiliSearchRequestError`, so the `MeiliSearchApiError` sits in `cause`.
 */
export function describeMeiliError(error: unknown): MeiliErrorInfo {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof MeiliSearchApiError) {
      return {
        status: current.response.status,
        code: current.cause?.code,
        type: current.cause?.type,
        message: current.message,
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return { message: messageChain(error) };
}

/** "Request to … has failed: request timed out after 300ms" rather than only the outer text. */
function messageChain(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error && parts.length < 4;) {
    if (current.message && !parts.includes(current.message)) parts.push(current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

/**
 * Invalid requests and auth failures repeat identically on retry; everything else (unreachable,
 * timeouts, 5xx, internal task errors) may pass later.
 */
export function toDomainException(error: unknown, action: string): DomainException {
  if (error instanceof DomainException) return error;
  const info = describeMeiliError(error);
  const permanent = info.type === 'invalid_request' || info.type === 'auth';
  return new DomainException(
    permanent ? ErrorCode.Internal : ErrorCode.ServiceUnavailable,
    `Search engine failed to ${action}: ${info.message}`,
    [],
    permanent,
  );
}

/** A finished task that did not succeed, as a domain error. */
export function taskFailure(task: MeiliTask, action: string): DomainException {
  const error: MeiliErrorResponse | null | undefined = task.error;
  const permanent = error?.type === 'invalid_request' || error?.type === 'auth';
  return new DomainException(
    permanent ? ErrorCode.Internal : ErrorCode.ServiceUnavailable,
    `Search engine failed to ${action}: task ${task.uid} ${task.status}` +
      (error ? ` (${error.code}: ${error.message})` : ''),
    [],
    permanent,
  );
}
