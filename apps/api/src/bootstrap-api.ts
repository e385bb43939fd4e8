import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { problemFromError, RequestContext, sanitizeRequestId } from '@recto/common';
import { ApiConfig } from '@recto/config';
import { runMigrations } from '@recto/database';
import { assertRedisReachable } from '@recto/queue';
import { json, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';

/** Builds the HTTP app (also used by tests); the caller decides when to listen. */
export async function createApiApp(config: ApiConfig): Promise<INestApplication> {
  const missing = (['DATABASE_URL', 'MEILI_URL'] as const).filter((k) => !config[k]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} must be set (\`npm start\` embeds Postgres and Meilisearch when they are unset).`,
    );
  }
  await assertRedisReachable(config.REDIS_URL);
  await runMigrations(config.DATABASE_URL as string);

  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    (req: { headers: Record<string, unknown> }, res: { setHeader(k: string, v: string): void }, next: () => void) =>
      RequestContext.run(sanitizeRequestId(req.headers['x-request-id']), () => {
        res.setHeader('X-Request-Id', RequestContext.requestId() as string);
        next();
      }),
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

  const openApi = new DocumentBuilder()
    .setTitle('Recto')
    .setDescription('Search inside scanned documents, with the polygon of every matched word.')
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization' }, 'api-key')
    .addSecurityRequirements('api-key')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}
