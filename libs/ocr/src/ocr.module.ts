import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ImportOcrAdapter } from './adapters/import/import-ocr.adapter';
import { LocalOcrAdapter } from './adapters/local/local-ocr.adapter';
import { DEFAULT_LOCAL_OCR_OPTIONS, type LocalOcrOptions } from './adapters/local/local-ocr.options';
import { OCR_PROVIDERS, type OcrProvider } from './ocr-provider.interface';

export const LOCAL_OCR_OPTIONS = Symbol('LOCAL_OCR_OPTIONS');

/**
 * Provides LocalOcrAdapter (by class) and the provider list under OCR_PROVIDERS (local, import), and terminates
 * the Tesseract workers on shutdown so the process can exit.
 */
@Module({})
export class OcrModule implements OnApplicationShutdown {
  constructor(@Inject(OCR_PROVIDERS) private readonly providers: OcrProvider[]) {}

  static forRoot(options: Partial<LocalOcrOptions> = {}): DynamicModule {
    return {
      module: OcrModule,
      global: true,
      providers: [
        { provide: LOCAL_OCR_OPTIONS, useValue: options },
        {
          provide: LocalOcrAdapter,
          inject: [LOCAL_OCR_OPTIONS],
          useFactory: (opts: Partial<LocalOcrOptions>) => {
            const local = new LocalOcrAdapter(opts);
            new Logger(OcrModule.name).log(`Local OCR engine: ${local.engine}`);
            return local;
          },
        },
        {
          provide: OCR_PROVIDERS,
          inject: [LocalOcrAdapter, LOCAL_OCR_OPTIONS],
          // Imported OCR needs no engine, only the same page limits.
          useFactory: (local: LocalOcrAdapter, opts: Partial<LocalOcrOptions>): OcrProvider[] => [
            local,
            new ImportOcrAdapter({
              maxPages: opts.maxPages ?? DEFAULT_LOCAL_OCR_OPTIONS.maxPages,
              maxPixels: opts.maxPixels ?? DEFAULT_LOCAL_OCR_OPTIONS.maxPixels,
            }),
          ],
        },
      ],
      exports: [LocalOcrAdapter, OCR_PROVIDERS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.providers.map((provider) => provider.close?.()));
  }
}
