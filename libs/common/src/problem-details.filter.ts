import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainException, ErrorItem } from './domain.exception';
import { ErrorCode } from './error-codes';
import { ProblemDetails } from './problem-details';

const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.ValidationFailed]: 422,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.DocumentNotFound]: 404,
  [ErrorCode.PageNotFound]: 404,
  [ErrorCode.WebhookNotFound]: 404,
  [ErrorCode.WebhookDeliveryNotFound]: 404,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.EmptyFile]: 422,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.DocumentNotProcessed]: 409,
  [ErrorCode.ExportUnavailable]: 422,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.ProviderNotAvailable]: 422,
  [ErrorCode.InvalidImageRequest]: 400,
  [ErrorCode.IiifLinkExpired]: 403,
  [ErrorCode.IiifLinksDisabled]: 409,
  [ErrorCode.UrlNotAllowed]: 422,
  [ErrorCode.UrlFetchFailed]: 422,
  [ErrorCode.IiifManifestUnreachable]: 422,
  [ErrorCode.IiifNotAManifest]: 422,
  [ErrorCode.IiifTooManyCanvases]: 422,
  [ErrorCode.IiifResourceUnreachable]: 422,
  [ErrorCode.InvalidOcrFile]: 422,
  [ErrorCode.PageImageUnavailable]: 404,
  [ErrorCode.UnreadableFile]: 422,
  [ErrorCode.ImageTooLarge]: 422,
  [ErrorCode.TooManyPages]: 422,
  [ErrorCode.EncryptedPdf]: 422,
  [ErrorCode.OcrFailed]: 422,
  [ErrorCode.ProviderError]: 502,
  [ErrorCode.ServiceUnavailable]: 503,
};

const CODE_BY_HTTP_STATUS: Record<number, string> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  404: ErrorCode.NotFound,
  405: 'method_not_allowed',
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.ValidationFailed,
  429: ErrorCode.TooManyRequests,
};

function titleOf(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** Maps a domain exception to problem details; the worker stores the same shape on a failed document. */
export function toProblemDetails(error: DomainException): ProblemDetails {
  const status = STATUS_BY_CODE[error.code] ?? 422;
  return { status, title: titleOf(status), detail: error.message, code: error.code, errors: error.errors };
}

/** The one place where errors become HTTP answers: RFC 9457, internals hidden on 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = problemFromError(exception);
    if (problem.status >= 500) {
      problem.error_id = randomUUID();
      this.logger.error(
        { err: exception, error_id: problem.error_id, path: req.originalUrl },
        `Unhandled error ${problem.error_id}`,
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const retryAfter =
      (exception as { retryAfterSeconds?: number })?.retryAfterSeconds ??
      (problem.status === 503 ? SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS : undefined);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/** What a 503 tells clients to wait: outages of a backing service are usually seconds (a restart). */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a client library (pg, ioredis) that mean the server is away, not that the request is bad. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATE: connection exceptions (08…), the server shutting down or starting (57P0x), out of connections. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
/** node-postgres raises these as plain errors, without a code. */
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error/i;

/**
 * Whether the error says a backing service (Postgres, Redis) could not be reached or did not answer
 * in time; TypeORM keeps the driver's error in `driverError`, wrappers in `cause`.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && (CONNECTION_ERROR_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) {
      return true;
    }
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    current = e.driverError ?? e.cause;
  }
  return false;
}

/** Maps any thrown value to problem details: domain codes, Nest HTTP errors, multer and body-parser errors; anything else is a 500. */
export function problemFromError(exception: unknown): ProblemDetails {
  if (exception instanceof DomainException) return toProblemDetails(exception);
  if (isConnectionFailure(exception)) {
    return {
      status: 503,
      title: titleOf(503),
      // Which service and where stays in the log: the address of a database is nobody's business.
      detail: 'A service Recto needs (its database or queue) is unavailable right now; try again shortly.',
      code: ErrorCode.ServiceUnavailable,
      errors: [],
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  const multer = exception as { name?: string; code?: string; field?: string; storageErrors?: unknown };
  if (multer?.name === 'MulterError') {
    const tooLarge = multer.code === 'LIMIT_FILE_SIZE';
    const status = tooLarge ? 413 : 422;
    return {
      status,
      title: titleOf(status),
      detail: tooLarge ? 'The file is larger than the upload limit.' : `Malformed upload: ${multer.code}.`,
      code: tooLarge ? ErrorCode.PayloadTooLarge : ErrorCode.ValidationFailed,
      errors: multer.field ? [{ pointer: `/${multer.field}`, detail: String(multer.code) }] : [],
    };
  }
  // busboy's own parse errors ("Malformed part header", "Unexpected end of form") reach us via multer.
  if (multer?.storageErrors !== undefined && exception instanceof Error) {
    return {
      status: 422,
      title: titleOf(422),
      detail: `Malformed multipart body: ${exception.message}.`,
      code: ErrorCode.ValidationFailed,
      errors: [],
    };
  }
  const bodyParser = exception as { type?: string; status?: number };
  if (bodyParser?.type === 'entity.too.large') {
    return {
      status: 413,
      title: titleOf(413),
      detail: 'The request body is too large.',
      code: ErrorCode.PayloadTooLarge,
      errors: [],
    };
  }
  if (bodyParser?.type === 'entity.parse.failed') {
    return {
      status: 422,
      title: titleOf(422),
      detail: 'The request body is not valid JSON.',
      code: ErrorCode.ValidationFailed,
      errors: [],
    };
  }
  return {
    status: 500,
    title: titleOf(500),
    detail: 'An internal error occurred.',
    code: ErrorCode.Internal,
    errors: [],
  };
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  const errors: ErrorItem[] = Array.isArray(message) ? message.map((m) => ({ pointer: null, detail: String(m) })) : [];
  const detail =
    status >= 500 ? 'An internal error occurred.' : typeof message === 'string' ? message : exception.message;
  return {
    status,
    title: titleOf(status),
    detail,
    code: CODE_BY_HTTP_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : 'http_error'),
    errors,
  };
}
