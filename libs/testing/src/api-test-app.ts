import type { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { startTestServices, TestServices } from './test-services';

export interface ApiTestApp {
  services: TestServices;
  app: INestApplication;
  stop(): Promise<void>;
}

/**
 * The API in-process on its own services, for int-specs: `create` is the app's own factory
 * (apps/api's createApiApp), passed in because libs never import apps.
 */
export async function startApiTestApp(
  label: string,
  env: Record<string, string>,
  create: (config: ApiConfig) => Promise<INestApplication>,
): Promise<ApiTestApp> {
  const services = await startTestServices(label);
  const app = await create(validateConfig(ApiConfig, { ...services.env, LOG_LEVEL: 'warn', ...env }));
  await app.init();
  return {
    services,
    app,
    async stop() {
      await app.close();
      await services.stop();
    },
  };
}
