import { DomainException, ErrorCode, SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS, toProblemDetails } from '@recto/common';
import { DatabaseWatchdog } from '@recto/database';
import type { NextFunction, Request, Response } from 'express';

/**
 * While Postgres does not answer, requests get a 503 with Retry-After at once, and those already
 * waiting on it get one when the watchdog notices (their handlers finish, unanswered, when it is
 * back). Without this they would hang for as long as the outage.
 */
/** How long the rest of a refused upload is read before the connection is cut. */
const DRAIN_LIMIT_MS = 30_000;

export function answerDuringDatabaseOutage(watchdog: DatabaseWatchdog) {
  return (req: Request, res: Response, next: NextFunction): void => {
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
      // An upload may still be arriving. Closing now would leave a client that is still sending
      // with a broken pipe instead of this answer, so the rest is read and dropped — for a while.
      if (!req.complete) {
        req.resume();
        const cap = setTimeout(() => req.socket.destroy(), DRAIN_LIMIT_MS).unref();
        req.once('end', () => clearTimeout(cap));
      }
      res.setHeader('Retry-After', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    };
    if (watchdog.isDown()) return answer();
    const unsubscribe = watchdog.onDown(answer);
    res.once('close', unsubscribe);
    next();
  };
}
