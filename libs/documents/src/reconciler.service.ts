import { Injectable, Logger } from '@nestjs/common';
import { DocumentRepository } from '@recto/database';
import { JobName, JobQueue } from '@recto/queue';

/** Job timestamps come from a worker's clock, updated_at from Postgres's. */
const CLOCK_SKEW_MS = 1_000;

/**
 * Postgres is the source of truth and Redis can lose jobs (flushed, never reached at upload):
 * documents left Processing with no live job are queued again.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);

  constructor(
    private readonly documents: DocumentRepository,
    private readonly queue: JobQueue,
  ) {}

  async reconcile(idleForMs: number, batch = 500): Promise<number> {
    const stuck = await this.documents.findStuckProcessing(new Date(Date.now() - idleForMs), batch);
    let requeued = 0;
    for (const document of stuck) {
      if (await this.queue.hasLiveJob(document.id)) continue;
      // A IIIF import whose images were never attached: its job again, made from the row's iiif_source.
      if (document.storageKey === null) {
        await this.queue.requeue(JobName.IiifImport, { documentId: document.id });
        requeued++;
        continue;
      }
      // OCR done, indexing gave up (search engine away longer than its retries): index again,
      // unless the document changed since (a reprocess), which needs OCR first.
      const indexFailedAt = await this.queue.failedSince(JobName.Index, document.id);
      if (indexFailedAt !== null && indexFailedAt >= document.updatedAt.getTime() - CLOCK_SKEW_MS) {
        await this.queue.requeue(JobName.Index, { documentId: document.id });
      } else {
        await this.queue.requeue(JobName.Ocr, { documentId: document.id, provider: document.ocrProvider });
      }
      requeued++;
    }
    if (requeued > 0) this.logger.warn({ requeued }, 'Re-queued documents that had no live job');
    return requeued;
  }
}
