import { Injectable, Logger } from '@nestjs/common';
import { DocumentRepository } from '@recto/database';
import { JobName, JobQueue } from '@recto/queue';

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
      await this.queue.requeue(JobName.Ocr, { documentId: document.id, provider: document.ocrProvider });
      requeued++;
    }
    if (requeued > 0) this.logger.warn({ requeued }, 'Re-queued documents that had no live job');
    return requeued;
  }
}
