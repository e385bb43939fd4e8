import { DynamicModule, Module, Type } from '@nestjs/common';
import { JOB_HANDLERS } from '@recto/queue';
import { IndexJobHandler } from './index-job.handler';
import { JobFailurePolicy } from './job-failure.policy';
import { OcrCompletionModule } from './ocr-completion.module';
import { OcrJobHandler } from './ocr-job.handler';
import { ReconcilerService } from './reconciler.service';

export interface DocumentProcessingOptions {
  /** A module that provides `OcrProviderRegistry` (the app decides which engines exist). */
  ocr: DynamicModule | Type;
}

/** The worker side of the domain: job handlers, failure policy and the reconciler. */
@Module({})
export class DocumentProcessingModule {
  static forRoot(options: DocumentProcessingOptions): DynamicModule {
    return {
      module: DocumentProcessingModule,
      imports: [options.ocr, OcrCompletionModule],
      providers: [
        JobFailurePolicy,
        OcrJobHandler,
        IndexJobHandler,
        ReconcilerService,
        {
          provide: JOB_HANDLERS,
          useFactory: (...handlers: unknown[]) => handlers,
          inject: [OcrJobHandler, IndexJobHandler],
        },
      ],
      // The OCR module too: the worker announces which engines it runs.
      exports: [JOB_HANDLERS, ReconcilerService, options.ocr],
    };
  }
}
