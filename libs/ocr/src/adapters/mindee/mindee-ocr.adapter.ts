import { Logger } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { basename } from 'node:path';
import { InMemoryOcrCheckpoint } from '../../in-memory-ocr.checkpoint';
import {
  type OcrCheckpoint,
  type OcrInput,
  type OcrProvider,
  OcrRunCompletedElsewhereError,
} from '../../ocr-provider.interface';
import type { OcrResult } from '../../ocr-result';
import { ProviderJobFailedException } from '../../provider-job-failed.exception';
import { MindeeHttpClient, type MindeeRequestStats } from './mindee-http.client';
import { inspectFile, MINDEE_MAX_BYTES, MINDEE_MAX_PAGES } from './mindee-file.inspector';
import { MINDEE_PROVIDER, toOcrResult } from './mindee-result.mapper';
import type { MindeeOcrResponse } from './mindee-types';
import { DEFAULT_MINDEE_OPTIONS, type MindeeOptions } from './mindee.options';
import { RedisRequestBudget, type RequestBudget, sleep } from './request-budget';

/** What a run keeps in its checkpoint; every step is saved before the next request goes out. */
interface MindeeRunState {
  [key: string]: unknown;
  /** submitting → polling → fetching → fetched; `submit-failed` when an enqueue got no job. */
  phase: 'submitting' | 'submit-failed' | 'polling' | 'fetching' | 'fetched';
  enqueueAttempts: number;
  jobId?: string;
  pollingUrl?: string;
  /** Epoch ms of the 202, the start of Mindee's 590 s inference timeout. */
  enqueuedAt?: number;
  resultUrl?: string;
  /** The fetched result, kept until stored: Mindee may delete it on fetch, so it is fetched once. */
  response?: MindeeOcrResponse;
  heartbeatAt?: number;
}

/** An attempt in `submitting` or `fetching` refreshes its lease this often; older ones are dead. */
const HEARTBEAT_MS = 10_000;
const LEASE_MS = 45_000;
/** How often an attempt waiting on another one's lease looks again. */
const WAIT_STEP_MS = 1000;

export type MindeeAdapterOptions = Partial<MindeeOptions> &
  Pick<MindeeOptions, 'apiKey' | 'modelId' | 'redisUrl' | 'budgetKey'>;

/**
 * OCR by Mindee API v2 (the OCR utility): enqueue, poll until Processed, fetch the result once.
 * Progress goes to the input's checkpoint before each next step, so that a worker killed at any
 * point resumes the same Mindee job: the document is enqueued once and its result fetched once.
 */
export class MindeeOcrAdapter implements OcrProvider {
  readonly name = MINDEE_PROVIDER;
  private readonly logger = new Logger(MindeeOcrAdapter.name);
  private readonly options: MindeeOptions;
  private readonly budget: RequestBudget;
  private readonly client: MindeeHttpClient;

  constructor(options: MindeeAdapterOptions, budget?: RequestBudget) {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULT_MINDEE_OPTIONS, ...given } as MindeeOptions;
    if (!this.options.apiKey || !this.options.modelId)
      throw new Error('MindeeOcrAdapter needs an API key and a model id');
    this.budget =
      budget ??
      new RedisRequestBudget({
        redisUrl: this.options.redisUrl,
        key: this.options.budgetKey,
        requestsPerSecond: this.options.requestsPerSecond,
      });
    this.client = new MindeeHttpClient({
      apiKey: this.options.apiKey,
      baseUrl: this.options.baseUrl,
      budget: this.budget,
      maxRetries: this.options.maxRetries,
      backoff: { baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs },
      timeoutMs: this.options.requestTimeoutMs,
    });
  }

  /** Requests sent by this process, for logs and tests. */
  get stats(): MindeeRequestStats {
    return this.client.stats;
  }

  async recognize(input: OcrInput): Promise<OcrResult> {
    const file = await inspectFile(input.filePath, {
      maxBytes: MINDEE_MAX_BYTES,
      maxPages: Math.min(this.options.maxPages, MINDEE_MAX_PAGES),
    });
    const checkpoint = input.checkpoint ?? new InMemoryOcrCheckpoint();
    let state = await this.startOrResume(input, checkpoint);
    if (!state.response) {
      if (!state.resultUrl) state = await this.waitUntilProcessed(input, checkpoint, state);
      state = await this.fetchOnce(input, checkpoint, state);
    }
    return toOcrResult(state.response as MindeeOcrResponse, file.pages);
  }

  async close(): Promise<void> {
    await this.budget.close();
  }

  private async startOrResume(input: OcrInput, checkpoint: OcrCheckpoint): Promise<MindeeRunState> {
    for (;;) {
      input.signal?.throwIfAborted();
      const saved = await checkpoint.load();
      if (saved?.completed) throw new OcrRunCompletedElsewhereError(input.documentId);
      const state = saved?.data as MindeeRunState | undefined;
      if (state?.jobId) {
        if (saved && state.phase !== 'polling')
          this.logger.log(
            { documentId: input.documentId, jobId: state.jobId, phase: state.phase },
            'Resuming Mindee job',
          );
        return state;
      }
      if (saved && state?.phase === 'submitting') {
        if (Date.now() - saved.savedAt.getTime() < LEASE_MS) {
          // Another attempt is uploading this document right now: wait for the job it gets.
          await sleep(WAIT_STEP_MS, input.signal);
          continue;
        }
        this.logger.warn(
          { documentId: input.documentId },
          'An earlier attempt died while enqueueing: Mindee may have received the file once already; enqueueing again',
        );
      }
      const submitting: MindeeRunState = { phase: 'submitting', enqueueAttempts: (state?.enqueueAttempts ?? 0) + 1 };
      if (!(await checkpoint.save({ data: submitting }))) continue;
      let job;
      try {
        job = await this.withHeartbeat(checkpoint, submitting, () =>
          this.client.enqueue(
            {
              modelId: this.options.modelId,
              filePath: input.filePath,
              filename: input.filename ?? basename(input.filePath),
              alias: input.documentId,
              webhookIds: this.options.webhookIds,
            },
            input.signal,
          ),
        );
      } catch (error) {
        // No job came back: the next attempt may enqueue without waiting for this one's lease.
        await checkpoint.save({ data: { ...submitting, phase: 'submit-failed' } }).catch(() => false);
        throw error;
      }
      const polling: MindeeRunState = {
        phase: 'polling',
        enqueueAttempts: submitting.enqueueAttempts,
        jobId: job.id,
        pollingUrl: job.polling_url,
        enqueuedAt: Date.now(),
      };
      if (await checkpoint.save({ externalId: job.id, data: polling })) {
        this.logger.log({ documentId: input.documentId, jobId: job.id }, 'Enqueued at Mindee');
        return polling;
      }
      // Completed by a webhook that beat this save (found by alias), or taken over after a lapsed lease.
      this.logger.warn(
        { documentId: input.documentId, jobId: job.id },
        'The run moved on while the file was uploading',
      );
    }
  }

  private async waitUntilProcessed(
    input: OcrInput,
    checkpoint: OcrCheckpoint,
    state: MindeeRunState,
  ): Promise<MindeeRunState> {
    const enqueuedAt = state.enqueuedAt ?? Date.now();
    const deadline = enqueuedAt + this.options.maxWaitMs;
    let wait = Math.max(0, enqueuedAt + this.options.pollInitialDelayMs - Date.now());
    for (;;) {
      await sleep(wait, input.signal);
      wait = this.options.pollIntervalMs;
      const saved = await checkpoint.load();
      if (saved?.completed) throw new OcrRunCompletedElsewhereError(input.documentId);
      const { job, location } = await this.client.poll(state.pollingUrl as string, input.signal);
      if (job.status === 'Failed') {
        throw new ProviderJobFailedException('Mindee', job.error ?? { title: 'Failed', detail: 'The job failed.' });
      }
      if (job.status === 'Processed' || location) {
        const resultUrl = job.result_url ?? location;
        if (!resultUrl)
          throw new DomainException(
            ErrorCode.ProviderError,
            'Mindee reported the job Processed without a result URL.',
            [],
            false,
          );
        return { ...(saved?.data as MindeeRunState), ...state, resultUrl };
      }
      if (Date.now() + wait > deadline) {
        throw new DomainException(
          ErrorCode.ProviderError,
          `Mindee did not finish job ${job.id} within ${Math.round(this.options.maxWaitMs / 1000)} s of its enqueue ` +
            '(its inference timeout is 590 s). Reprocess the document to try again.',
        );
      }
    }
  }

  private async fetchOnce(input: OcrInput, checkpoint: OcrCheckpoint, state: MindeeRunState): Promise<MindeeRunState> {
    for (;;) {
      input.signal?.throwIfAborted();
      const saved = await checkpoint.load();
      if (saved?.completed) throw new OcrRunCompletedElsewhereError(input.documentId);
      const current = { ...(saved?.data as MindeeRunState), resultUrl: state.resultUrl };
      if (current.response) return current;
      if (saved && current.phase === 'fetching' && Date.now() - saved.savedAt.getTime() < LEASE_MS) {
        // Another attempt is fetching: a second GET could find the result deleted.
        await sleep(WAIT_STEP_MS, input.signal);
        continue;
      }
      const fetching: MindeeRunState = { ...current, phase: 'fetching' };
      if (!(await checkpoint.save({ data: fetching }))) continue;
      const response = await this.withHeartbeat(checkpoint, fetching, () =>
        this.client.result(state.resultUrl as string, input.signal),
      );
      const fetched: MindeeRunState = { ...fetching, phase: 'fetched', response };
      // Lost only if a webhook completed the run meanwhile; the caller's store is then a no-op.
      await checkpoint.save({ data: fetched });
      return fetched;
    }
  }

  /** Keeps this attempt's lease fresh while a long request runs, so that others keep waiting. */
  private async withHeartbeat<T>(checkpoint: OcrCheckpoint, state: MindeeRunState, work: () => Promise<T>): Promise<T> {
    let beating: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      beating = beating.then(() => checkpoint.save({ data: { ...state, heartbeatAt: Date.now() } }).catch(() => false));
    }, HEARTBEAT_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await beating;
    }
  }
}
