/**
 * `npm run keys -- create --tenant acme [--name "scanner 3"]` prints a new key once;
 * `npm run keys -- list [--tenant acme]`; `npm run keys -- revoke <id|prefix>`.
 * Uses DATABASE_URL, else the embedded Postgres of a running `npm start` under DATA_DIR.
 */
import 'reflect-metadata';
import { ApiKeyService } from '@recto/auth';
import { ConfigValidationError, LauncherConfig, loadConfig } from '@recto/config';
import { ApiKeyEntity, ApiKeyRepository, dataSourceOptions, runMigrations, sessionDatabaseUrl } from '@recto/database';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { databaseUrlOf } from './service-urls';

const USAGE = `usage:
  npm run keys -- create --tenant <tenant> [--name <label>]
  npm run keys -- list [--tenant <tenant>]
  npm run keys -- revoke <id|prefix>`;

const row = (k: ApiKeyEntity) =>
  [
    k.id,
    k.prefix,
    k.tenantId,
    k.createdAt.toISOString(),
    k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
    k.name ?? '',
  ].join('\t');

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { tenant: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, target] = positionals;
  if (
    !['create', 'list', 'revoke'].includes(command) ||
    (command === 'create' && !values.tenant) ||
    (command === 'revoke' && !target)
  ) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(LauncherConfig);
  const url = await databaseUrlOf(config);
  await runMigrations(sessionDatabaseUrl({ ...config, DATABASE_URL: url }) as string);
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: 1 } }));
  await ds.initialize();
  try {
    const keys = new ApiKeyService(new ApiKeyRepository(ds.getRepository(ApiKeyEntity)), { cacheSeconds: 0 });
    if (command === 'create') {
      const { key, record } = await keys.create(values.tenant as string, values.name);
      console.log(`Created key ${record.prefix} (id ${record.id}) for tenant "${record.tenantId}".`);
      console.log(`Key (shown once, only its SHA-256 is stored):\n${key}`);
    } else if (command === 'list') {
      for (const k of await keys.list(values.tenant)) console.log(row(k));
    } else {
      const revoked = await keys.revoke(target);
      if (revoked.length === 0) {
        console.error(`No active key with id or prefix "${target}".`);
        return 1;
      }
      for (const k of revoked) console.log(`Revoked ${row(k)}`);
    }
    return 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof ConfigValidationError || err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
