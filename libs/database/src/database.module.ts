import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SharedConfig } from '@recto/config';
import { dataSourceOptions, ENTITIES, replicaOptions } from './data-source-options';
import { DocumentRepository } from './repositories/document.repository';
import { IdempotencyKeyRepository } from './repositories/idempotency-key.repository';
import { OcrCompletionRepository } from './repositories/ocr-completion.repository';
import { PAGE_REPOSITORY_OPTIONS, PageRepository, PageRepositoryOptions } from './repositories/page.repository';
import { ProviderJobRepository } from './repositories/provider-job.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { DeploymentRepository } from './repositories/deployment.repository';
import { DeploymentIdentity } from './deployment-identity';
import { EventOutboxRepository } from './repositories/event-outbox.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { WebhookEndpointRepository } from './repositories/webhook-endpoint.repository';
import { EventNotificationListener } from './event-notification.listener';
import { OcrFileRepository } from './repositories/ocr-file.repository';

const REPOSITORIES = [
  DocumentRepository,
  PageRepository,
  IdempotencyKeyRepository,
  ProviderJobRepository,
  ApiKeyRepository,
  DeploymentRepository,
  EventOutboxRepository,
  WebhookEndpointRepository,
  WebhookDeliveryRepository,
  EventNotificationListener,
  OcrCompletionRepository,
  OcrFileRepository,
];

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [SharedConfig],
      useFactory: (config: SharedConfig) => {
        if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required (npm start embeds Postgres when unset).');
        return {
          ...dataSourceOptions(config.DATABASE_URL, {
            ...replicaOptions(config.DATABASE_URL, config.DATABASE_REPLICA_URL),
            extra: { max: 10, connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS },
          }),
          retryAttempts: 3,
          retryDelay: 1000,
        };
      },
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  providers: [
    ...REPOSITORIES,
    {
      provide: PAGE_REPOSITORY_OPTIONS,
      inject: [SharedConfig],
      useFactory: (config: SharedConfig): PageRepositoryOptions => ({
        namedStatements: config.DATABASE_POOLER === 'none',
      }),
    },
    {
      provide: DeploymentIdentity,
      inject: [DeploymentRepository, SharedConfig],
      useFactory: async (deployments: DeploymentRepository, config: SharedConfig) =>
        new DeploymentIdentity(await deployments.deploymentId(), config.QUEUE_PREFIX),
    },
  ],
  exports: [...REPOSITORIES, DeploymentIdentity],
})
export class DatabaseModule {}
