import { DynamicModule, Module, Type } from '@nestjs/common';
import { JOB_HANDLERS, JobHandler } from '@recto/queue';
import { IndexJobHandler } from './index-job.handler';
import { JobFailurePolicy } from './job-failure.policy';
import { OcrCompletionModule } from './ocr-completion.module';
import { OcrJobHandler } from './ocr-job.handler';
import { ReconcilerService } from './reconciler.service';

export interface DocumentProcessingOptions {
  /** A module that provides `OcrProviderRegistry` (the app decides which engines exist). */
  ocr: DynamicModule | Type;
  /**
   * Handlers of jobs whose work lives in a lib built on this one (the IIIF import), and the module
   * exporting them: registered with the others, so the worker's one-handler-per-job check sees all.
   */
  jobs?: { module: DynamicModule | Type; handlers: Type<JobHandler>[] };
}

/** The worker side of the domain: job handlers, failure policy and the reconciler. */
@Module({})
export class DocumentProcessingModule {
  static forRoot(options: DocumentProcessingOptions): DynamicModule {
    return {
      module: DocumentProcessingModule,
      imports: [options.ocr, OcrCompletionModule, ...(options.jobs ? [options.jobs.module] : [])],
      providers: [
        JobFailurePolicy,
        OcrJobHandler,
        IndexJobHandler,
        ReconcilerService,
        {
          provide: JOB_HANDLERS,
          useFactory: (...handlers: unknown[]) => handlers,
          inject: [OcrJobHandler, IndexJobHandler, ...(options.jobs?.handlers ?? [])],
        },
      ],
      // The OCR module too: the worker announces which engines it runs.
      exports: [JOB_HANDLERS, ReconcilerService, options.ocr],
    };
  }
}
