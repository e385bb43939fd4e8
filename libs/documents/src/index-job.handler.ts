import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@recto/common';
import { DocumentRepository, PageRepository } from '@recto/database';
import { JobHandler, JobName, JobPayloads } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { Job } from 'bullmq';
import { JobFailurePolicy } from './job-failure.policy';
import { toIndexDocument } from './index-document.mapper';

/** Writes a document's pages from Postgres (the source of truth) to the search index. */
@Injectable()
export class IndexJobHandler implements JobHandler<JobName.Index> {
  readonly jobName = JobName.Index;
  private readonly logger = new Logger(IndexJobHandler.name);

  constructor(
    private readonly documents: DocumentRepository,
    private readonly pages: PageRepository,
    @Inject(SEARCH_INDEX) private readonly searchIndex: SearchIndex,
    private readonly failures: JobFailurePolicy,
  ) {}

  async handle(payload: JobPayloads[JobName.Index], job: Job): Promise<void> {
    const document = await this.documents.findById(payload.documentId);
    if (!document) return;
    try {
      const pages = await this.pages.findPages(document.id);
      await this.searchIndex.replaceDocument(
        document.id,
        pages.map((p) => toIndexDocument(document, p)),
      );
      // Deleted while we wrote: its delete may have run before our upsert, so clean up after it.
      if (!(await this.documents.findById(document.id))) await this.searchIndex.deleteDocument(document.id);
      else await this.documents.markProcessed(document.id);
    } catch (err) {
      if (err instanceof DomainException && err.permanent) await this.failures.fail(document.id, err, job);
      // The search engine being away is not the document's fault: its pages and words are safe in
      // Postgres, BullMQ retries with backoff, and past the last attempt the reconciler queues it again.
      this.logger.warn({ err, documentId: document.id, attempt: job.attemptsMade + 1 }, 'Indexing failed; will retry');
      throw err;
    }
  }
}
