import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { DeploymentIdentity } from '@recto/database';
import { DOCUMENTS_QUEUE } from './job-name';
import { JobQueue } from './job-queue.service';
import { JobStats } from './job-stats.service';
import { ProviderAnnouncements } from './provider-announcements.service';
import { redisConnectionOf } from './redis-connection';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [SharedConfig, DeploymentIdentity],
      useFactory: (config: SharedConfig, deployment: DeploymentIdentity) => ({
        connection: redisConnectionOf(config.REDIS_URL),
        prefix: deployment.queuePrefix,
      }),
    }),
    BullModule.registerQueue({ name: DOCUMENTS_QUEUE }),
  ],
  providers: [JobQueue, JobStats, ProviderAnnouncements],
  exports: [JobQueue, JobStats, ProviderAnnouncements, BullModule],
})
export class QueueModule {}
