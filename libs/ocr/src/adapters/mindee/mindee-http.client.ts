import { Logger } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { openAsBlob } from 'node:fs';
import type { RequestBudget } from './request-budget';
import { sleep } from './request-budget';
import { type BackoffOptions, backoffDelay, parseRetryAfter, throttleDelay } from './retry.policy';
import { MindeeSchemaValidator } from './mindee-schema.validator';
import type { MindeeErrorResponse, MindeeJob, MindeeJobResponse, MindeeOcrResponse } from './mindee-types';
import { MindeeResultReader } from './mindee-result.reader';

export interface MindeeClientOptions {
  apiKey: string;
  baseUrl: string;
  budget: RequestBudget;
  /** Retries of one request on 429, 5xx and network errors before the attempt gives up. */
  maxRetries: number;
  backoff: BackoffOptions;
  /** Per request; an upload of 100 MB needs a while. */
  timeoutMs: number;
}

export interface EnqueueForm {
  modelId: string;
  filePath: string;
  filename: string;
  alias: string;
  webhookIds: string[];
}

export type RequestKind = 'enqueue' | 'poll' | 'result';

/** Request counters, for logs and tests. */
export interface MindeeRequestStats {
  sent: Record<RequestKind, number>;
  throttled: number;
  retried: number;
}

/** A job as the status endpoint reports it, with the redirect target when it answered 302. */
export interface PolledJob {
  job: MindeeJob;
  location: string | null;
}

/**
 * Mindee API v2's three OCR endpoints. Every request takes a token from the shared budget; 429s
 * honour Retry-After (and pause every worker), 5xx and network errors back off and retry; other
 * refusals are permanent failures with Mindee's own explanation.
 */
export class MindeeHttpClient {
  private readonly logger = new Logger(MindeeHttpClient.name);
  private readonly origin: string;
  readonly stats: MindeeRequestStats = { sent: { enqueue: 0, poll: 0, result: 0 }, throttled: 0, retried: 0 };

  constructor(
    private readonly options: MindeeClientOptions,
    private readonly validator = new MindeeSchemaValidator(),
    private readonly reader = new MindeeResultReader(validator),
  ) {
    this.origin = new URL(options.baseUrl).origin;
  }

  async enqueue(form: EnqueueForm, signal?: AbortSignal): Promise<MindeeJob> {
    const url = new URL('/v2/products/ocr/enqueue', this.options.baseUrl).toString();
    const file = await openAsBlob(form.filePath);
    const body = await this.send('enqueue', url, signal, () => {
      const data = new FormData();
      data.append('model_id', form.modelId);
      data.append('file', file, form.filename);
      data.append('filename', form.filename);
      data.append('alias', form.alias);
      for (const id of form.webhookIds) data.append('webhook_ids', id);
      return { method: 'POST', body: data };
    });
    return this.checked<MindeeJobResponse>('JobResponse', body.json, 'enqueue').job;
  }

  /** With redirect=false Mindee answers 200 even when Processed; a 302 is read the same way. */
  async poll(pollingUrl: string, signal?: AbortSignal): Promise<PolledJob> {
    const url = new URL(pollingUrl);
    url.searchParams.set('redirect', 'false');
    const body = await this.send('poll', url.toString(), signal, () => ({ method: 'GET' }));
    return { job: this.checked<MindeeJobResponse>('JobResponse', body.json, 'poll').job, location: body.location };
  }

  /** Exactly one GET: with "delete extracted data when fetched", a second one is a 404. */
  async result(resultUrl: string, signal?: AbortSignal): Promise<MindeeOcrResponse> {
    const body = await this.send('result', resultUrl, signal, () => ({ method: 'GET' }));
    return this.reader.parse(body.json);
  }

  private checked<T>(schema: string, json: unknown, kind: RequestKind): T {
    const problems = this.validator.problems(schema, json);
    if (problems.length > 0) {
      throw new DomainException(
        ErrorCode.ProviderError,
        `Mindee's ${kind} response does not match its published ${schema} schema: ${problems.join('; ')}.`,
      );
    }
    return json as T;
  }

  private async send(
    kind: RequestKind,
    url: string,
    signal: AbortSignal | undefined,
    init: () => RequestInit,
  ): Promise<{ json: unknown; location: string | null }> {
    // The API key only ever goes to Mindee's own host, whatever a response points at.
    if (new URL(url).origin !== this.origin) {
      throw new DomainException(
        ErrorCode.ProviderError,
        `Mindee pointed at ${new URL(url).origin}, not at MINDEE_BASE_URL's host; refusing to send the API key there.`,
      );
    }
    for (let attempt = 0; ; attempt++) {
      await this.options.budget.acquire(signal);
      this.stats.sent[kind]++;
      let response: Response;
      try {
        response = await fetch(url, {
          ...init(),
          headers: { Authorization: this.options.apiKey, Accept: 'application/json' },
          redirect: 'manual',
          signal: signal
            ? AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)])
            : AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (attempt >= this.options.maxRetries) throw unavailable(kind, `network error: ${describe(error)}`);
        const wait = backoffDelay(attempt, this.options.backoff);
        this.logger.warn({ kind, attempt, wait, error: describe(error) }, 'Mindee unreachable; retrying');
        this.stats.retried++;
        await sleep(wait, signal);
        continue;
      }
      const text = await response.text();
      const json = parseJson(text);
      if (response.status === 429) {
        this.stats.throttled++;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const wait = throttleDelay(attempt, retryAfter, this.options.backoff);
        if (attempt >= this.options.maxRetries) throw unavailable(kind, 'still throttled (429) after retries');
        await this.options.budget.pause(retryAfter ?? wait);
        this.logger.warn({ kind, attempt, wait, retryAfter }, 'Mindee throttled the request (429); waiting');
        await sleep(wait, signal);
        continue;
      }
      if (response.status >= 500) {
        if (attempt >= this.options.maxRetries) throw unavailable(kind, `HTTP ${response.status}`);
        const wait = backoffDelay(attempt, this.options.backoff);
        this.logger.warn({ kind, attempt, wait, status: response.status }, 'Mindee server error; retrying');
        this.stats.retried++;
        await sleep(wait, signal);
        continue;
      }
      if (response.status === 200 || response.status === 202 || response.status === 302) {
        return { json, location: response.headers.get('location') };
      }
      throw refusal(kind, response.status, json, this.validator);
    }
  }
}

const WHAT: Record<RequestKind, string> = {
  enqueue: 'sending the file',
  poll: 'polling the job',
  result: 'fetching the result',
};

function unavailable(kind: RequestKind, why: string): DomainException {
  // Transient: the job is retried later and resumes where it stopped.
  return new DomainException(
    ErrorCode.ServiceUnavailable,
    `Mindee is unavailable while ${WHAT[kind]} (${why}).`,
    [],
    false,
  );
}

/** A 4xx other than 429: retrying cannot help, so the document fails with the reason. */
function refusal(kind: RequestKind, status: number, json: unknown, validator: MindeeSchemaValidator): DomainException {
  const problem = validator.problems('ErrorResponse', json).length === 0 ? (json as MindeeErrorResponse) : null;
  const said = problem ? ` Mindee said: ${problem.title}: ${problem.detail}` : '';
  const reason =
    status === 401 || status === 403
      ? `Mindee rejected the API key or its rights (HTTP ${status}); check MINDEE_API_KEY and MINDEE_MODEL_ID.`
      : status === 404 && kind === 'result'
        ? 'Mindee has no result any more (HTTP 404): it was deleted, e.g. after an earlier fetch. Reprocess the document to run OCR again.'
        : status === 404
          ? `Mindee does not know the job (HTTP 404) while ${WHAT[kind]}.`
          : status === 422
            ? `Mindee refused the request as unprocessable (HTTP 422) while ${WHAT[kind]}.`
            : `Mindee refused the request (HTTP ${status}) while ${WHAT[kind]}.`;
  return new DomainException(ErrorCode.ProviderError, reason + said, problem?.errors ?? []);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
