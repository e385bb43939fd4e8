import { Module } from '@nestjs/common';
import { DocumentService } from './document.service';
import { IngestService } from './ingest.service';
import { PageImageService } from './page-image.service';

/** The API side of the domain: ingest, read, delete, reprocess. */
@Module({
  providers: [IngestService, DocumentService, PageImageService],
  exports: [IngestService, DocumentService, PageImageService],
})
export class DocumentsModule {}
