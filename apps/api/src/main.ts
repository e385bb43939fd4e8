import 'reflect-metadata';
import { ApiConfig, ConfigValidationError, loadConfig } from '@recto/config';
import { createApiApp } from './bootstrap-api';

async function main(): Promise<void> {
  const config = loadConfig(ApiConfig);
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
}

main().catch((err: unknown) => {
  // Config errors list every bad key; anything else is a start-up failure worth its stack.
  console.error(err instanceof ConfigValidationError ? err.message : err);
  process.exit(1);
});
