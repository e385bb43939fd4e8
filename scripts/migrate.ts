/** `npm run migration:run`: applies pending migrations to DATABASE_URL (through DATABASE_DIRECT_URL when set). */
import 'reflect-metadata';
import { ConfigValidationError, loadConfig, SharedConfig } from '@recto/config';
import { runMigrations, sessionDatabaseUrl } from '@recto/database';

async function main(): Promise<void> {
  const config = loadConfig(SharedConfig);
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL must be set.');
  const applied = await runMigrations(sessionDatabaseUrl(config) as string);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigValidationError ? err.message : err);
  process.exit(1);
});
