import { DynamicModule, Module } from '@nestjs/common';
import { WorkerConfig } from '@recto/config';
import { OcrProviderRegistry } from '@recto/documents';
import { OCR_PROVIDERS, OcrModule, OcrProvider } from '@recto/ocr';

/** Which OCR engines this worker runs; the registry lets each job pick its document's engine. */
@Module({})
export class OcrEnginesModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: OcrEnginesModule,
      imports: [
        OcrModule.forRoot({
          languages: config.OCR_LANGUAGES,
          poolSize: config.OCR_CONCURRENCY,
          maxPages: config.OCR_MAX_PAGES,
          maxPixels: config.OCR_MAX_PIXELS,
        }),
      ],
      providers: [
        {
          provide: OcrProviderRegistry,
          inject: [OCR_PROVIDERS],
          useFactory: (providers: OcrProvider[]) => new OcrProviderRegistry(providers),
        },
      ],
      exports: [OcrProviderRegistry],
    };
  }
}
