import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times each request from its arrival to the end of its answer, by method, the route Express
 * matched and the status sent. A middleware and not a Nest interceptor: an interceptor put every
 * request through rxjs (2-3% of the API's CPU under search load, profiled, docs/benchmarks.md),
 * ended its timing before the answer was written, recorded 200 for an answer an exception filter
 * made a 404, and never saw the requests a guard refused.
 */
export function recordHttpMetrics(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    });
    next();
  };
}
