import { Inject, Injectable } from '@nestjs/common';
import { DocumentRepository, PageRepository } from '@recto/database';
import { JobHandler, JobName, JobPayloads } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { Job } from 'bullmq';
import { JobFailurePolicy } from './job-failure.policy';

/** Writes a document's pages from Postgres (the source of truth) to the search index. */
@Injectable()
export class IndexJobHandler implements JobHandler<JobName.Index> {
  readonly jobName = JobName.Index;

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
      await this.searchIndex.deleteDocument(document.id);
      await this.searchIndex.upsertPages(
        pages.map((p) => ({
          id: p.id,
          tenant_id: document.tenantId,
          document_id: document.id,
          page_number: p.number,
          content: p.content,
          filename: document.filename,
          mime_type: document.mimeType,
          created_at: document.createdAt.getTime(),
          metadata: document.metadata,
        })),
      );
      await this.documents.markProcessed(document.id);
    } catch (err) {
      await this.failures.fail(document.id, err, job);
    }
  }
}
