import { DomainException, ErrorCode } from '@recto/common';
import {
  MeiliErrorResponse,
  MeiliSearchApiError,
  MeiliSearchRequestTimeOutError,
  MeiliTask,
} from './meilisearch.client';

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
  if (permanent) {
    // A 500 to clients (its detail is never shown); the worker logs and stores it as is.
    return new DomainException(ErrorCode.Internal, `Search engine failed to ${action}: ${info.message}`, [], true);
  }
  // Answered to clients as a 503: the engine's own message names its address ("Request to
  // http://10.0.0.5:7700/… has failed"), so it goes in the cause, for the logs only.
  const reason = timedOut(error) ? 'timed out' : 'is unavailable';
  return new DomainException(
    ErrorCode.ServiceUnavailable,
    `The search engine ${reason} (${action}); try again shortly.`,
    [],
    false,
    new Error(info.message),
  );
}

function timedOut(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof MeiliSearchRequestTimeOutError) return true;
    if ((current as { name?: string }).name === 'TimeoutError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
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
