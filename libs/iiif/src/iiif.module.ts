import { Module } from '@nestjs/common';
import { DocumentsModule } from '@recto/documents';
import { IiifAccessService } from './access/iiif-access.service';
import { IiifImageService } from './image/iiif-image.service';
import { IiifService } from './iiif.service';

@Module({
  imports: [DocumentsModule],
  providers: [IiifService, IiifImageService, IiifAccessService],
  exports: [IiifService, IiifImageService, IiifAccessService],
})
export class IiifModule {}
