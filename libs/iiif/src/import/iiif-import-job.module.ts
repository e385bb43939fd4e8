import { Module } from '@nestjs/common';
import { JobFailurePolicy, UrlFetcher } from '@recto/documents';
import { IiifImportJobHandler } from './iiif-import-job.handler';
import { IiifResourceFetcher } from './iiif-resource.fetcher';

/**
 * The worker side of IIIF imports: the `iiif-import` job's handler, given to
 * DocumentProcessingModule (which registers every job's handler) by the worker.
 */
@Module({
  providers: [IiifImportJobHandler, IiifResourceFetcher, UrlFetcher, JobFailurePolicy],
  exports: [IiifImportJobHandler],
})
export class IiifImportJobModule {}
