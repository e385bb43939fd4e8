export interface MindeeOptions {
  apiKey: string;
  modelId: string;
  /** API root, e.g. https://api-v2.mindee.net. */
  baseUrl: string;
  /** Webhooks (ids from the Mindee platform) to notify when a job finishes. */
  webhookIds: string[];
  /** Wait after enqueue before the first poll (Mindee: a few seconds). */
  pollInitialDelayMs: number;
  /** Between polls (Mindee: every 1 to 1.5 s). */
  pollIntervalMs: number;
  /** Give up on a job this long after its enqueue: Mindee's inference times out at 590 s. */
  maxWaitMs: number;
  /** The organisation-wide request budget, shared by all workers through Redis. */
  requestsPerSecond: number;
  redisUrl: string;
  /** Redis key of the shared budget. */
  budgetKey: string;
  /** Retries of one request (429, 5xx, network) before the job attempt gives up and BullMQ retries it. */
  maxRetries: number;
  /** First backoff step and its cap. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  maxPages: number;
}

export const DEFAULT_MINDEE_OPTIONS = {
  baseUrl: 'https://api-v2.mindee.net',
  webhookIds: [] as string[],
  pollInitialDelayMs: 3000,
  pollIntervalMs: 1500,
  maxWaitMs: 590_000,
  requestsPerSecond: 5,
  maxRetries: 8,
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
  requestTimeoutMs: 120_000,
  maxPages: 200,
};
