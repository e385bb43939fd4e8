import { Injectable, Logger } from '@nestjs/common';
import { DomainException, ErrorCode, ProblemDetails, toProblemDetails } from '@recto/common';
import { DocumentRepository } from '@recto/database';
import { ProviderJobFailedException } from '@recto/ocr';
import { Job, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';

/**
 * What a failed job means for its document: bad input fails it at once and stops retries;
 * anything else is retried with backoff and fails the document only on the last attempt.
 */
@Injectable()
export class JobFailurePolicy {
  private readonly logger = new Logger(JobFailurePolicy.name);

  constructor(private readonly documents: DocumentRepository) {}

  async fail(documentId: string, err: unknown, job: Job): Promise<never> {
    const permanent = err instanceof DomainException && err.permanent;
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (permanent) {
      const problem: ProblemDetails = toProblemDetails(err);
      // A provider's failed job keeps the provider's own problem details, verbatim, next to ours.
      if (err instanceof ProviderJobFailedException) Object.assign(problem, { provider_error: err.providerError });
      await this.documents.markFailed(documentId, problem);
      this.logger.warn({ documentId, code: err.code, jobId: job.id }, `Document failed: ${err.message}`);
      throw new UnrecoverableError(err.message);
    }
    if (lastAttempt) {
      const errorId = randomUUID();
      const detail =
        err instanceof DomainException
          ? err.message
          : `Processing failed after ${job.attemptsMade + 1} attempts (error id ${errorId}).`;
      const code = err instanceof DomainException ? err.code : ErrorCode.OcrFailed;
      await this.documents.markFailed(documentId, {
        ...toProblemDetails(new DomainException(code, detail)),
        error_id: errorId,
      });
      this.logger.error({ err, documentId, errorId, jobId: job.id }, 'Document failed after retries');
    } else {
      this.logger.warn({ err, documentId, jobId: job.id, attempt: job.attemptsMade + 1 }, 'Job failed; will retry');
    }
    throw err;
  }
}
