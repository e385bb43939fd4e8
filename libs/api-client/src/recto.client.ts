import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiRequestError } from './api-request.error';
import type { paths } from './recto-api.schema';

export type RectoClient = Client<paths>;

export interface RectoClientOptions {
  /** The server's root, e.g. `https://recto.example.org` (`''` in a page served by the API). */
  baseUrl: string;
  /** Sent as `Authorization`; leave it out for an open server. */
  apiKey?: string;
  /** Answers 429 by waiting `Retry-After` (at most a minute) this many times before giving up. */
  retriesOn429?: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * The typed client of Recto's REST API: every path, parameter and answer typed from the API's
 * OpenAPI document (openapi-fetch over `fetch`). Calls resolve to `{ data, error, response }`;
 * `unwrap` turns them into the data or an `ApiRequestError`.
 */
export function createRectoClient(options: RectoClientOptions): RectoClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch,
  });
  const retries = options.retriesOn429 ?? 5;
  const send = (input: Request) => (options.fetch ?? globalThis.fetch)(input);
  const middleware: Middleware = {
    onRequest({ request }) {
      if (options.apiKey) request.headers.set('Authorization', options.apiKey);
      return request;
    },
    async onResponse({ request, response }) {
      // Only requests without a body are sent again here: an upload's body has been streamed
      // away, and its caller decides whether to send the file again.
      if (request.body !== null) return response;
      for (let attempt = 0; response.status === 429 && attempt < retries; attempt++) {
        const wait = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((r) => setTimeout(r, Math.min(60, Number.isFinite(wait) ? wait : 1) * 1000));
        response = await send(request.clone());
      }
      return response;
    },
    onError({ error }) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return Promise.reject(new ApiRequestError(0, `cannot reach ${options.baseUrl || 'the server'} (${cause})`));
    },
  };
  client.use(middleware);
  return client;
}

/** The data of a successful call, or its problem details thrown as an `ApiRequestError`. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw ApiRequestError.fromAnswer(response.status, response.statusText, error);
}
