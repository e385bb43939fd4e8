import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@recto/auth';
import { LoggerModule, ProblemDetailsFilter } from '@recto/common';
import { ApiConfig, ConfigModule, meilisearchNodesOf } from '@recto/config';
import { DatabaseModule, DatabaseWatchdog } from '@recto/database';
import { DocumentsModule } from '@recto/documents';
import { EventsModule } from '@recto/events';
import { IiifModule } from '@recto/iiif';
import { QueueModule } from '@recto/queue';
import { SearchModule } from '@recto/search';
import { StorageModule } from '@recto/storage';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ThrottleGuard } from './auth/throttle.guard';
import { DocumentCountsController } from './documents/document-counts.controller';
import { DocumentExportController } from './documents/document-export.controller';
import { DocumentsController } from './documents/documents.controller';
import { PageImagesController } from './documents/page-images.controller';
import { UploadInterceptor } from './documents/upload.interceptor';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { MindeeWebhookController } from './webhooks/mindee-webhook.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { EventsController } from './events/events.controller';
import { MetricsService } from './health/metrics.service';
import { ReadinessService } from './health/readiness.service';
import { PublicUrl } from './public-url';
import { IiifController } from './iiif/iiif.controller';
import { IiifLinksController } from './iiif/iiif-links.controller';
import { SearchController } from './search/search.controller';
import { createValidationPipe } from './validation.pipe';

/** The HTTP app: assembles libs and maps routes to them; no domain logic here. */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(ApiConfig, config),
        LoggerModule.forRoot({ name: 'recto-api', level: config.LOG_LEVEL }),
        DatabaseModule,
        QueueModule,
        StorageModule,
        SearchModule.forRoot({
          nodes: meilisearchNodesOf(config),
          indexName: config.MEILI_INDEX,
          searchTimeoutMs: config.SEARCH_TIMEOUT_MS,
        }),
        DocumentsModule,
        EventsModule,
        IiifModule,
        AuthModule,
      ],
      controllers: [
        DocumentsController,
        PageImagesController,
        DocumentExportController,
        DocumentCountsController,
        SearchController,
        HealthController,
        MetricsController,
        MindeeWebhookController,
        WebhooksController,
        EventsController,
        IiifLinksController,
        IiifController,
      ],
      providers: [
        // Guards run in this order: who is calling, then whether they may call again now.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ThrottleGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        UploadInterceptor,
        PublicUrl,
        ReadinessService,
        MetricsService,
        DatabaseWatchdog,
      ],
    };
  }
}
