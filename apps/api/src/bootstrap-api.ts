import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { ApiKeyService } from '@recto/auth';
import { problemFromError, RequestContext, sanitizeRequestId } from '@recto/common';
import { ApiConfig, meilisearchNodesOf } from '@recto/config';
import { DatabaseWatchdog, runMigrations, sessionDatabaseUrl } from '@recto/database';
import { assertRedisReachable } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { json, NextFunction, raw, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { buildOpenApiDocument } from './open-api.document';
import { authenticateBeforeBody } from './auth/authenticate-before-body.middleware';
import { iiifCors } from './iiif/iiif-cors.middleware';
import { answerDuringDatabaseOutage } from './database-outage.middleware';
import { serveViewer } from './viewer-assets';
import { recordHttpMetrics } from './health/http-metrics.middleware';
import { MetricsService } from './health/metrics.service';

const MINDEE_WEBHOOK_PATH = '/v1/webhooks/mindee';

/** Builds the HTTP app (also used by tests); the caller decides when to listen. */
export async function createApiApp(config: ApiConfig): Promise<INestApplication> {
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
  // Its advisory lock is a session's: not through a transaction pooler.
  await runMigrations(sessionDatabaseUrl(config) as string);

  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Idempotent; searches before the first index write then find an index with the right filters.
  // If Meilisearch is down now, the worker applies them when it is back.
  await app
    .get<SearchIndex>(SEARCH_INDEX)
    .ensureSettings()
    .catch((err: unknown) => app.get(Logger).warn({ err }, 'Search index settings not applied yet'));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    (req: { headers: Record<string, unknown> }, res: { setHeader(k: string, v: string): void }, next: () => void) =>
      RequestContext.run(sanitizeRequestId(req.headers['x-request-id']), () => {
        res.setHeader('X-Request-Id', RequestContext.requestId() as string);
        next();
      }),
  );
  app.use(recordHttpMetrics(app.get(MetricsService)));
  app.use(iiifCors);
  app.use('/v1', answerDuringDatabaseOutage(app.get(DatabaseWatchdog)));
  // Mindee's webhook signature covers the exact body bytes: it gets them unparsed, as a Buffer, and
  // carries that signature instead of a key.
  app.use(MINDEE_WEBHOOK_PATH, raw({ type: () => true, limit: config.MAX_UPLOAD_BYTES }));
  // Everything else with a body needs a valid key before the body is read.
  const beforeBody = authenticateBeforeBody(app.get(ApiKeyService));
  app.use('/v1', (req: Request, res: Response, next: NextFunction) =>
    req.originalUrl.split('?')[0] === MINDEE_WEBHOOK_PATH ? next() : beforeBody(req, res, next),
  );
  // base64 inflates by 4/3: the JSON limit follows the upload limit.
  app.use(json({ limit: Math.ceil(config.MAX_UPLOAD_BYTES * 1.4) + 1024 * 1024 }));
  // Body-parser errors happen before Nest's router, so its exception filter never sees them.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const problem = problemFromError(err);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  app.enableShutdownHooks();
  serveViewer(app);

  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
