import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { meilisearchNodesOf, WorkerConfig } from '@recto/config';
import { DeploymentIdentity } from '@recto/database';
import { assertRedisReachable } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { Logger } from 'nestjs-pino';
import { DocumentsProcessor } from './documents.processor';
import { WorkerModule } from './worker.module';

/** Starts the queue consumer (also used by tests): no HTTP server. */
export async function startWorker(config: WorkerConfig): Promise<INestApplicationContext> {
  const missing = [
    ...(config.DATABASE_URL ? [] : ['DATABASE_URL']),
    ...(meilisearchNodesOf(config).length ? [] : ['MEILI_URL (or MEILI_URLS)']),
  ];
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} must be set (\`npm start\` embeds Postgres and Meilisearch when they are unset).`,
    );
  }
  await assertRedisReachable(config.REDIS_URL);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  // Settings are applied idempotently; if Meilisearch is down now, index jobs retry until it is back.
  await app
    .get<SearchIndex>(SEARCH_INDEX)
    .ensureSettings()
    .catch((err: unknown) => app.get(Logger).warn({ err }, 'Search index settings not applied yet'));
  const deployment = app.get(DeploymentIdentity);
  app
    .get(Logger)
    .log(
      { deployment: deployment.id, queuePrefix: deployment.queuePrefix },
      `Consuming queue prefix ${deployment.queuePrefix}`,
    );
  const processor = app.get(DocumentsProcessor);
  void processor.worker.run();
  return app;
}
