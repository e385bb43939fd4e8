import { Module } from '@nestjs/common';
import { DocumentsModule } from '@recto/documents';
import { IiifAccessService } from './access/iiif-access.service';
import { IiifImageService } from './image/iiif-image.service';
import { IiifService } from './iiif.service';
import { IiifImportService } from './import/iiif-import.service';
import { IiifResourceFetcher } from './import/iiif-resource.fetcher';

@Module({
  imports: [DocumentsModule],
  providers: [IiifService, IiifImageService, IiifAccessService, IiifImportService, IiifResourceFetcher],
  exports: [IiifService, IiifImageService, IiifAccessService, IiifImportService],
})
export class IiifModule {}
