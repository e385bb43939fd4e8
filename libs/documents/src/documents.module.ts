import { Module } from '@nestjs/common';
import { DocumentService } from './document.service';
import { IngestService } from './ingest.service';

/** The API side of the domain: ingest, read, delete, reprocess. */
@Module({
  providers: [IngestService, DocumentService],
  exports: [IngestService, DocumentService],
})
export class DocumentsModule {}
