import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from '@recto/common';
import { ConfigModule, meilisearchNodesOf, WorkerConfig } from '@recto/config';
import { DatabaseModule } from '@recto/database';
import { DocumentProcessingModule } from '@recto/documents';
import { WebhookDeliveryModule } from '@recto/events';
import { IiifImportJobHandler, IiifImportJobModule } from '@recto/iiif';
import { QueueModule } from '@recto/queue';
import { SearchModule } from '@recto/search';
import { StorageModule } from '@recto/storage';
import { DocumentsProcessor } from './documents.processor';
import { EventRetentionScheduler } from './event-retention.scheduler';
import { OcrEnginesModule } from './ocr-engines.module';
import { ProviderAnnouncementScheduler } from './provider-announcement.scheduler';
import { ReconcilerScheduler } from './reconciler.scheduler';
import { WebhookDeliveryScheduler } from './webhook-delivery.scheduler';

/** The queue consumer: assembles libs; runs without an HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(WorkerConfig, config),
        LoggerModule.forRoot({ name: 'recto-worker', level: config.LOG_LEVEL }),
        DatabaseModule,
        QueueModule,
        StorageModule,
        SearchModule.forRoot({
          nodes: meilisearchNodesOf(config),
          indexName: config.MEILI_INDEX,
        }),
        DocumentProcessingModule.forRoot({
          ocr: OcrEnginesModule.forRoot(config),
          jobs: { module: IiifImportJobModule, handlers: [IiifImportJobHandler] },
        }),
        WebhookDeliveryModule,
      ],
      providers: [
        DocumentsProcessor.configured(config),
        ReconcilerScheduler,
        ProviderAnnouncementScheduler,
        WebhookDeliveryScheduler,
        EventRetentionScheduler,
      ],
    };
  }
}
