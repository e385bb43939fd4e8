import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@recto/common';
import { JobHandler, JobName, JobPayloads, JobStats, SkippedJobReason } from '@recto/queue';
import { Job } from 'bullmq';
import { DocumentIndexer } from './document-indexer.service';
import { JobFailurePolicy } from './job-failure.policy';

/**
 * Indexes a document whose pages are stored: after a provider's webhook, for the reconciler, or
 * when indexing right after OCR failed.
 */
@Injectable()
export class IndexJobHandler implements JobHandler<JobName.Index> {
  readonly jobName = JobName.Index;
  private readonly logger = new Logger(IndexJobHandler.name);

  constructor(
    private readonly indexer: DocumentIndexer,
    private readonly failures: JobFailurePolicy,
    private readonly stats: JobStats,
  ) {}

  async handle(payload: JobPayloads[JobName.Index], job: Job): Promise<void> {
    try {
      if (!(await this.indexer.index(payload.documentId))) {
        this.logger.warn(
          { documentId: payload.documentId, jobId: job.id },
          'Index job for a document that does not exist',
        );
        await this.stats.countSkipped(SkippedJobReason.DocumentMissing).catch(() => undefined);
      }
    } catch (err) {
      if (err instanceof DomainException && err.permanent) await this.failures.fail(payload.documentId, err, job);
      // The search engine being away is not the document's fault: its pages and words are safe in
      // Postgres, BullMQ retries with backoff, and past the last attempt the reconciler queues it again.
      this.logger.warn(
        { err, documentId: payload.documentId, attempt: job.attemptsMade + 1 },
        'Indexing failed; will retry',
      );
      throw err;
    }
  }
}
