import { DynamicModule, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { WorkerConfig } from '@recto/config';
import { OcrProviderRegistry } from '@recto/documents';
import { MindeeOcrAdapter, OCR_PROVIDERS, OcrModule, OcrProvider } from '@recto/ocr';
import { createHash } from 'node:crypto';

const MINDEE = Symbol('MINDEE_OCR_ADAPTER');

/** Which OCR engines this worker runs; the registry lets each job pick its document's engine. */
@Module({})
export class OcrEnginesModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(MINDEE) private readonly mindee: MindeeOcrAdapter | null) {}

  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: OcrEnginesModule,
      imports: [
        OcrModule.forRoot({
          languages: config.OCR_LANGUAGES,
          poolSize: config.OCR_CONCURRENCY,
          maxPages: config.OCR_MAX_PAGES,
          maxPixels: config.OCR_MAX_PIXELS,
          autoOrient: config.OCR_AUTO_ORIENT === 'true',
          engine: config.OCR_LOCAL_ENGINE,
          tessdataCacheDir: config.OCR_TESSDATA_CACHE_DIR,
        }),
      ],
      providers: [
        // Mindee exists on a worker whenever it has credentials (WorkerConfig requires them for OCR_PROVIDER=mindee).
        { provide: MINDEE, useFactory: () => mindeeAdapterOf(config) },
        {
          provide: OcrProviderRegistry,
          inject: [OCR_PROVIDERS, MINDEE],
          useFactory: (providers: OcrProvider[], mindee: MindeeOcrAdapter | null) =>
            new OcrProviderRegistry(mindee ? [...providers, mindee] : providers),
        },
      ],
      exports: [OcrProviderRegistry],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.mindee?.close();
  }
}

function mindeeAdapterOf(config: WorkerConfig): MindeeOcrAdapter | null {
  if (!config.MINDEE_API_KEY || !config.MINDEE_MODEL_ID) return null;
  return new MindeeOcrAdapter({
    apiKey: config.MINDEE_API_KEY,
    modelId: config.MINDEE_MODEL_ID,
    baseUrl: config.MINDEE_BASE_URL,
    webhookIds: config.MINDEE_WEBHOOK_IDS,
    pollInitialDelayMs: config.MINDEE_POLL_INITIAL_DELAY_MS,
    pollIntervalMs: config.MINDEE_POLL_INTERVAL_MS,
    maxWaitMs: config.MINDEE_MAX_WAIT_MS,
    requestsPerSecond: config.MINDEE_REQUESTS_PER_SECOND,
    maxRetries: config.MINDEE_MAX_RETRIES,
    backoffBaseMs: config.MINDEE_BACKOFF_BASE_MS,
    maxPages: config.OCR_MAX_PAGES,
    redisUrl: config.REDIS_URL,
    // Mindee's limits are per organisation: every worker using this key shares one budget,
    // whatever its queue prefix.
    budgetKey: `recto:mindee-budget:${createHash('sha256').update(config.MINDEE_API_KEY).digest('hex').slice(0, 16)}`,
  });
}
