import { DomainException, ErrorCode, SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS, toProblemDetails } from '@recto/common';
import { DatabaseWatchdog } from '@recto/database';
import type { NextFunction, Request, Response } from 'express';

/**
 * While Postgres does not answer, requests get a 503 with Retry-After at once, and those already
 * waiting on it get one when the watchdog notices (their handlers finish, unanswered, when it is
 * back). Without this they would hang for as long as the outage.
 */
export function answerDuringDatabaseOutage(watchdog: DatabaseWatchdog) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const answer = (): void => {
      if (res.headersSent) return;
      const problem = toProblemDetails(
        new DomainException(
          ErrorCode.ServiceUnavailable,
          'The database is not answering right now; try again shortly.',
          [],
          false,
        ),
      );
      // The request body may still be arriving: do not keep reading it on this connection.
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    };
    if (watchdog.isDown()) return answer();
    const unsubscribe = watchdog.onDown(answer);
    res.once('close', unsubscribe);
    next();
  };
}
