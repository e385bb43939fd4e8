/** The parts of pino-http's serialized request and response read here. */
interface LoggedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}
interface LoggedResponse {
  statusCode?: number;
  headers?: Record<string, unknown>;
}

/**
 * What the request log keeps of a request and its answer: enough to trace and count requests
 * (method, url, status, size, client), not every header. Writing out all headers was a tenth of
 * what a hit-less search cost the API, and headers carry what a log should not hold (cookies,
 * keys) even where they are redacted.
 */
export const requestLogSerializers = {
  req: (req: LoggedRequest) => ({
    id: req.id,
    method: req.method,
    url: req.url,
    remoteAddress: req.remoteAddress,
    userAgent: req.headers?.['user-agent'],
  }),
  res: (res: LoggedResponse) => ({
    statusCode: res.statusCode,
    contentLength: res.headers?.['content-length'],
  }),
};
