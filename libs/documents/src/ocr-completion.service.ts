import { Injectable, Logger, Optional } from '@nestjs/common';
import { DocumentStatus, NewPage, PageRepository, ProviderJobRepository } from '@recto/database';
import { OcrPage, OcrResult } from '@recto/ocr';
import { JobName, JobQueue } from '@recto/queue';
import { DocumentIndexer } from './document-indexer.service';
import { buildPageText } from './page-text.builder';
import { assessDocument, assessPage, type PageQuality } from './page-quality.policy';

/** Rolls the store back when the result must not be applied. */
class NotApplicable extends Error {}

/** After storing: index right away (the worker, which has the engine's attention anyway) or queue it. */
export type IndexTiming = 'now' | 'queued';

/**
 * Applies an OCR result to its document — pages, words and text replaced, the provider's run
 * completed, in one transaction — then indexes it. The one path for results from a worker's
 * polling and from a provider's webhook: whichever comes first stores, the other is a no-op.
 */
@Injectable()
export class OcrCompletionService {
  private readonly logger = new Logger(OcrCompletionService.name);

  constructor(
    private readonly pages: PageRepository,
    private readonly providerJobs: ProviderJobRepository,
    private readonly queue: JobQueue,
    // Only where the worker's processing module provides it; the API's webhook always queues.
    @Optional() private readonly indexer?: DocumentIndexer,
  ) {}

  /**
   * `runId` is the provider_jobs row the result belongs to (null for providers without one).
   * Resolves false, storing nothing, when that run was already completed or superseded, or the
   * document is no longer Processing. With `index: 'now'`, the pages are indexed before it resolves
   * (the index job is queued instead if that fails, so it is retried with backoff).
   */
  async complete(
    documentId: string,
    result: OcrResult,
    runId: string | null,
    requestId?: string,
    index: IndexTiming = 'queued',
  ): Promise<boolean> {
    if (runId) {
      const run = await this.providerJobs.findById(runId);
      if (!run || run.status !== 'Open') return false;
    }
    try {
      const assessed = result.pages.map((page) => ({ page, quality: assessPage(page, result.provider) }));
      const verdict = assessDocument(assessed.map(({ page, quality }) => ({ number: page.number, quality })));
      const newPages = assessed.map(({ page, quality }) => toNewPage(page, quality));
      await this.pages.replaceDocumentPages(
        documentId,
        newPages,
        async (manager) => {
          // The document row is locked by now: status and run cannot change under this check.
          const [document] = (await manager.query('SELECT status FROM documents WHERE id = $1', [documentId])) as {
            status: string;
          }[];
          if (document?.status !== DocumentStatus.Processing) throw new NotApplicable();
          if (runId && !(await this.providerJobs.complete(manager, runId))) throw new NotApplicable();
        },
        { quality: verdict.quality, reason: verdict.reason },
      );
    } catch (error) {
      if (error instanceof NotApplicable) {
        this.logger.log({ documentId, runId }, 'OCR result already stored or no longer wanted; ignored');
        return false;
      }
      throw error;
    }
    if (index === 'now' && this.indexer) {
      try {
        await this.indexer.index(documentId);
        return true;
      } catch (err) {
        this.logger.warn({ err, documentId }, 'Indexing right after OCR failed; queued to retry');
      }
    }
    await this.queue.requeue(JobName.Index, { documentId, requestId });
    return true;
  }
}

function toNewPage(page: OcrPage, quality: PageQuality): NewPage {
  const text = buildPageText(page.words);
  return {
    number: page.number,
    width: page.width,
    height: page.height,
    content: text.content,
    source: page.source,
    rotation: page.turn?.rotation ?? 0,
    deskewDegrees: page.turn?.deskewDegrees ?? 0,
    upscale: page.upscale ?? null,
    meanConfidence: quality.meanConfidence,
    quality: quality.quality,
    qualityReason: quality.reason,
    words: page.words.map((w, i) => ({
      // As printed (a line-end hyphen stays on the word even though the indexed text joins it).
      content: w.content.replace(/\s+/g, ' ').trim(),
      polygon: w.polygon,
      confidence: w.confidence,
      line: w.line,
      charStart: text.offsets[i][0],
      charEnd: text.offsets[i][1],
    })),
  };
}
