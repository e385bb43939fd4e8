import { Injectable, Logger } from '@nestjs/common';
import { DocumentRepository, DocumentStatus, NewPage, PageRepository } from '@recto/database';
import { OcrPage } from '@recto/ocr';
import { JobHandler, JobName, JobPayloads, JobQueue } from '@recto/queue';
import { FileStorage } from '@recto/storage';
import { Job } from 'bullmq';
import { JobFailurePolicy } from './job-failure.policy';
import { OcrProviderRegistry } from './ocr-provider-registry';
import { buildPageText } from './page-text.builder';

/** Recognises a document and replaces its pages and words; indexing follows as its own job. */
@Injectable()
export class OcrJobHandler implements JobHandler<JobName.Ocr> {
  readonly jobName = JobName.Ocr;
  private readonly logger = new Logger(OcrJobHandler.name);

  constructor(
    private readonly documents: DocumentRepository,
    private readonly pages: PageRepository,
    private readonly storage: FileStorage,
    private readonly providers: OcrProviderRegistry,
    private readonly queue: JobQueue,
    private readonly failures: JobFailurePolicy,
  ) {}

  async handle(payload: JobPayloads[JobName.Ocr], job: Job): Promise<void> {
    const document = await this.documents.findById(payload.documentId);
    // Deleted meanwhile, or a duplicate delivery of work already finished.
    if (!document || document.status !== DocumentStatus.Processing) return;
    const started = Date.now();
    try {
      const result = await this.providers.get(payload.provider).recognize({
        documentId: document.id,
        filePath: this.storage.pathOf(document.storageKey),
        mimeType: document.mimeType,
        languages: document.languages ?? undefined,
      });
      await this.pages.replaceDocumentPages(document.id, result.pages.map(toNewPage));
      await this.queue.requeue(JobName.Index, { documentId: document.id, requestId: payload.requestId });
      this.logger.log(
        { documentId: document.id, pages: result.pages.length, ms: Date.now() - started, requestId: payload.requestId },
        'OCR done',
      );
    } catch (err) {
      await this.failures.fail(document.id, err, job);
    }
  }
}

function toNewPage(page: OcrPage): NewPage {
  const text = buildPageText(page.words);
  return {
    number: page.number,
    width: page.width,
    height: page.height,
    content: text.content,
    source: page.source,
    words: page.words.map((w, i) => ({
      content: text.content.slice(text.offsets[i][0], text.offsets[i][1]),
      polygon: w.polygon,
      confidence: w.confidence,
      line: w.line,
      charStart: text.offsets[i][0],
      charEnd: text.offsets[i][1],
    })),
  };
}
