import { Module } from '@nestjs/common';
import { DocumentsModule } from '@recto/documents';
import { IiifService } from './iiif.service';

@Module({ imports: [DocumentsModule], providers: [IiifService], exports: [IiifService] })
export class IiifModule {}
