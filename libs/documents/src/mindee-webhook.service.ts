import { Injectable, Logger } from '@nestjs/common';
import { DomainException, ErrorCode, NotFoundException } from '@recto/common';
import { SharedConfig } from '@recto/config';
import { DocumentRepository, ProviderJobEntity, ProviderJobRepository, ProviderJobStatus } from '@recto/database';
import { MINDEE_PROVIDER, MindeeOcrResponse, MindeeResultReader, verifyMindeeSignature } from '@recto/ocr';
import { FileStorage } from '@recto/storage';
import { DocumentFileMissingException } from './document.exceptions';
import { OcrCompletionService } from './ocr-completion.service';

export interface WebhookOutcome {
  /** `completed`: this delivery stored the result; `ignored`: it was stored already, or is no longer wanted. */
  status: 'completed' | 'ignored';
  document_id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Mindee's `ocr-utility-processed` webhook: the same OCRResponse polling fetches, pushed. Only a
 * body signed with MINDEE_WEBHOOK_SECRET is read; the result then takes the same completion
 * path as polling, so the first of the two stores it and the other is a no-op.
 */
@Injectable()
export class MindeeWebhookService {
  private readonly logger = new Logger(MindeeWebhookService.name);
  private readonly reader = new MindeeResultReader();

  constructor(
    private readonly config: SharedConfig,
    private readonly documents: DocumentRepository,
    private readonly providerJobs: ProviderJobRepository,
    private readonly storage: FileStorage,
    private readonly completion: OcrCompletionService,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookOutcome> {
    const secret = this.config.MINDEE_WEBHOOK_SECRET;
    if (!secret)
      throw new NotFoundException('Mindee webhooks are not enabled (MINDEE_WEBHOOK_SECRET is unset); the route');
    if (!rawBody || !verifyMindeeSignature(rawBody, signature, secret)) {
      this.logger.warn({ signed: Boolean(signature) }, 'Rejected a Mindee webhook with a bad or missing signature');
      throw new DomainException(
        ErrorCode.Unauthorized,
        'The X-Mindee-Hmac-Signature header is missing or does not match the body.',
      );
    }
    let response: MindeeOcrResponse;
    try {
      response = this.reader.parse(rawBody);
    } catch (error) {
      const errors = error instanceof DomainException ? error.errors : [];
      throw new DomainException(ErrorCode.ValidationFailed, 'The webhook body is not an OCRResponse.', errors);
    }
    const run = await this.runOf(response);
    if (!run) throw new NotFoundException(`The Mindee job ${response.inference.job.id}`);
    if (run.status !== ProviderJobStatus.Open) return { status: 'ignored', document_id: run.documentId };
    const document = await this.documents.findById(run.documentId);
    if (!document) throw new NotFoundException(`The document of Mindee job ${response.inference.job.id}`);
    // A Mindee run starts from the document's file: one without (a IIIF import not attached) has none.
    if (document.storageKey === null) throw new DocumentFileMissingException();
    const result = await this.reader.toOcrResult(response, this.storage.pathOf(document.storageKey));
    // Indexing is the worker's: the webhook answers Mindee quickly and leaves it to the index job.
    const stored = await this.completion.complete(document.id, result, run.id, { index: 'queued' });
    this.logger.log({ documentId: document.id, jobId: response.inference.job.id, stored }, 'Mindee webhook received');
    return { status: stored ? 'completed' : 'ignored', document_id: document.id };
  }

  /**
   * By job id; failing that, by alias (our document id) for a run still enqueueing, as a fast
   * Mindee may call back before the 202's job id is saved.
   */
  private async runOf(response: MindeeOcrResponse): Promise<ProviderJobEntity | null> {
    const byJob = await this.providerJobs.findByExternalId(MINDEE_PROVIDER, response.inference.job.id);
    if (byJob) return byJob;
    const alias = response.inference.file.alias;
    if (!alias || !UUID.test(alias)) return null;
    const open = await this.providerJobs.findOpen(alias);
    return open && open.provider === MINDEE_PROVIDER && !open.externalId ? open : null;
  }
}
