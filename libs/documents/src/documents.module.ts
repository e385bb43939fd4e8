import { Module } from '@nestjs/common';
import { DocumentExportService } from './document-export.service';
import { DocumentService } from './document.service';
import { IngestService } from './ingest.service';
import { MindeeWebhookService } from './mindee-webhook.service';
import { OcrCompletionModule } from './ocr-completion.module';
import { PageImageService } from './page-image.service';
import { UrlFetcher } from './url/url-fetcher';

/** The API side of the domain: ingest, read, delete, reprocess. */
@Module({
  imports: [OcrCompletionModule],
  providers: [
    IngestService,
    DocumentService,
    PageImageService,
    DocumentExportService,
    MindeeWebhookService,
    UrlFetcher,
  ],
  exports: [IngestService, DocumentService, PageImageService, DocumentExportService, MindeeWebhookService, UrlFetcher],
})
export class DocumentsModule {}
