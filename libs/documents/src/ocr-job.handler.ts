import { Injectable, Logger } from '@nestjs/common';
import { DocumentRepository, DocumentStatus, OcrFileRepository, ProviderJobRepository } from '@recto/database';
import { IMPORT_PROVIDER, OcrInput, OcrProvider, OcrResult, OcrRunCompletedElsewhereError } from '@recto/ocr';
import { JobHandler, JobName, JobPayloads, JobStats, SkippedJobReason } from '@recto/queue';
import { FileStorage } from '@recto/storage';
import { Job } from 'bullmq';
import { JobFailurePolicy } from './job-failure.policy';
import { OcrCompletionService } from './ocr-completion.service';
import { OcrProgressRecorder } from './ocr-progress.recorder';
import { OcrProviderRegistry } from './ocr-provider-registry';
import { hasPageImages } from './mime-sniffer';
import { placedPagesOf } from './placed-ocr.service';
import { ProviderJobCheckpoint } from './provider-job.checkpoint';

/** Recognises a document, replaces its pages and words, and indexes them (or queues that on failure). */
@Injectable()
export class OcrJobHandler implements JobHandler<JobName.Ocr> {
  readonly jobName = JobName.Ocr;
  private readonly logger = new Logger(OcrJobHandler.name);

  constructor(
    private readonly documents: DocumentRepository,
    private readonly providerJobs: ProviderJobRepository,
    private readonly storage: FileStorage,
    private readonly providers: OcrProviderRegistry,
    private readonly completion: OcrCompletionService,
    private readonly failures: JobFailurePolicy,
    private readonly stats: JobStats,
    private readonly ocrFiles: OcrFileRepository,
  ) {}

  async handle(payload: JobPayloads[JobName.Ocr], job: Job): Promise<void> {
    const document = await this.documents.findById(payload.documentId);
    if (!document) {
      // Deleted meanwhile; anything else (a job of a database this worker is not using) is worth a look.
      this.logger.warn({ documentId: payload.documentId, jobId: job.id }, 'OCR job for a document that does not exist');
      await this.stats.countSkipped(SkippedJobReason.DocumentMissing).catch(() => undefined);
      return;
    }
    // A duplicate delivery of work already finished.
    if (document.status !== DocumentStatus.Processing) return;
    const started = Date.now();
    try {
      const provider = this.providers.get(payload.provider);
      if (document.storageKey === null) {
        // Queued before its file was attached (a IIIF import still fetching): that job queues OCR again.
        this.logger.warn({ documentId: document.id }, 'OCR job for a document without its file yet; skipped');
        return;
      }
      // Remote providers resume their run from here after a crash or a retry.
      const checkpoint = new ProviderJobCheckpoint(this.providerJobs, document.id, provider.name);
      const progress = new OcrProgressRecorder(this.documents, document.id);
      const files = await this.ocrFiles.listForDocument(document.id);
      const input: OcrInput = {
        documentId: document.id,
        filePath: this.storage.pathOf(document.storageKey),
        mimeType: document.mimeType,
        filename: document.filename,
        languages: document.languages ?? undefined,
        checkpoint,
        onProgress: progress.report,
        ocrFiles: files.map((f) => this.storage.pathOf(f.storageKey)),
        ocrFilePages: placedPagesOf(files),
        hasImage: hasPageImages(document.mimeType),
      };
      const result = await this.recognize(provider, input)
        // Stopped before the result is stored, so a late progress write cannot follow it.
        .finally(() => progress.stop());
      const recognized = Date.now();
      const stored = await this.completion.complete(document.id, result, checkpoint.runId, {
        index: 'now',
        requestId: payload.requestId,
      });
      const done = Date.now();
      this.logger.log(
        {
          documentId: document.id,
          provider: provider.name,
          pages: result.pages.length,
          stored,
          ms: done - started,
          // Where a page's time to searchable goes: waiting in the queue, recognition, storing and indexing.
          queuedMs: started - job.timestamp,
          recognizeMs: recognized - started,
          storeAndIndexMs: done - recognized,
          requestId: payload.requestId,
        },
        'OCR done',
      );
    } catch (err) {
      if (err instanceof OcrRunCompletedElsewhereError) {
        this.logger.log({ documentId: document.id }, 'OCR result already delivered by another path');
        return;
      }
      await this.failures.fail(document.id, err, job);
    }
  }

  /**
   * The provider's reading. Where OCR files are placed on some pages only (a IIIF import whose
   * canvases link OCR here and there), the engine is spared those pages (`skipPages`; its progress
   * counts them as done), which OcrCompletionService imports from the files when it stores the result.
   */
  private recognize(provider: OcrProvider, input: OcrInput): Promise<OcrResult> {
    const skipPages = input.ocrFilePages;
    if (!skipPages || provider.name === IMPORT_PROVIDER) return provider.recognize(input);
    const report = input.onProgress;
    const skipped = skipPages.length;
    return provider.recognize({
      ...input,
      skipPages,
      onProgress: report && ((p) => report({ pageCount: p.pageCount + skipped, pagesDone: p.pagesDone + skipped })),
    });
  }
}
