import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { DOCUMENTS_QUEUE } from './job-name';
import { JobQueue } from './job-queue.service';
import { redisConnectionOf } from './redis-connection';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [SharedConfig],
      useFactory: (config: SharedConfig) => ({
        connection: redisConnectionOf(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue({ name: DOCUMENTS_QUEUE }),
  ],
  providers: [JobQueue],
  exports: [JobQueue, BullModule],
})
export class QueueModule {}
