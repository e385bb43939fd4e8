import { Injectable, Logger } from '@nestjs/common';
import { NewPage, OcrCompletionOutcome, OcrCompletionRepository, type SameTransactionEffect } from '@recto/database';
import { OcrPage, OcrResult } from '@recto/ocr';
import { JobName, JobQueue } from '@recto/queue';
import { DocumentIndexer } from './document-indexer.service';
import { PlacedOcrService } from './placed-ocr.service';
import { buildPageText } from './page-text.builder';
import { assessDocument, assessPage, type PageQuality } from './page-quality.policy';

/**
 * After storing: `now` indexes before resolving (the worker, which has the engine's attention
 * anyway; on failure the index job is queued so it is retried with backoff); `queued` leaves it
 * to the index job (a webhook answered inside the API).
 */
export type IndexTiming = 'now' | 'queued';

export interface CompletionOptions {
  index: IndexTiming;
  requestId?: string;
}

/**
 * Applies an OCR result to its document — pages, words and text replaced, the provider's run
 * completed, in one transaction (OcrCompletionRepository) — then indexes it. The one path for
 * results from a worker's polling and from a provider's webhook: whichever comes first stores,
 * the other is a no-op.
 */
@Injectable()
export class OcrCompletionService {
  private readonly logger = new Logger(OcrCompletionService.name);

  constructor(
    private readonly completions: OcrCompletionRepository,
    private readonly queue: JobQueue,
    private readonly indexer: DocumentIndexer,
    private readonly placed: PlacedOcrService,
  ) {}

  /**
   * `runId` is the provider_jobs row the result belongs to (null for providers without one).
   * Resolves false, storing nothing, when that run was already completed or superseded, or the
   * document is no longer Processing.
   */
  async complete(
    documentId: string,
    result: OcrResult,
    runId: string | null,
    options: CompletionOptions,
  ): Promise<boolean> {
    if (options.index !== 'now' && options.index !== 'queued') {
      throw new Error(`OcrCompletionService.complete: index must be 'now' or 'queued', not ${String(options.index)}`);
    }
    // Pages whose OCR was imported keep it, whichever path (polling, webhook) delivers the engine's reading.
    result = await this.placed.merge(documentId, result);
    const assessed = result.pages.map((page) => ({ page, quality: assessPage(page, result.provider) }));
    const verdict = assessDocument(assessed.map(({ page, quality }) => ({ number: page.number, quality })));
    const outcome = await this.completions.storeResult(
      {
        documentId,
        runId,
        pages: assessed.map(({ page, quality }) => toNewPage(page, quality)),
        quality: { quality: verdict.quality, reason: verdict.reason },
      },
      this.sameTransactionEffects(documentId, options),
    );
    if (outcome !== OcrCompletionOutcome.Stored) {
      this.logger.log({ documentId, runId, outcome }, 'OCR result already stored or no longer wanted; ignored');
      return false;
    }
    if (options.index === 'now') {
      try {
        await this.indexer.index(documentId);
        return true;
      } catch (err) {
        this.logger.warn({ err, documentId }, 'Indexing right after OCR failed; queued to retry');
      }
    }
    await this.queue.requeue(JobName.Index, { documentId, requestId: options.requestId });
    return true;
  }

  /**
   * Row changes that must commit with the stored result or not at all (e.g. an outbox row for a
   * `document.processed` event): add them here; they run inside the completion transaction.
   */
  private sameTransactionEffects(_documentId: string, _options: CompletionOptions): SameTransactionEffect[] {
    return [];
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
