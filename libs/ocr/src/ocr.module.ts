import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { LocalOcrAdapter } from './adapters/local/local-ocr.adapter';
import type { LocalOcrOptions } from './adapters/local/local-ocr.options';
import { OCR_PROVIDERS, type OcrProvider } from './ocr-provider.interface';

export const LOCAL_OCR_OPTIONS = Symbol('LOCAL_OCR_OPTIONS');

/**
 * Provides LocalOcrAdapter (by class) and the provider list under OCR_PROVIDERS, and terminates
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
          useFactory: (opts: Partial<LocalOcrOptions>) => new LocalOcrAdapter(opts),
        },
        {
          provide: OCR_PROVIDERS,
          inject: [LocalOcrAdapter],
          useFactory: (local: LocalOcrAdapter): OcrProvider[] => [local],
        },
      ],
      exports: [LocalOcrAdapter, OCR_PROVIDERS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.providers.map((provider) => provider.close?.()));
  }
}
