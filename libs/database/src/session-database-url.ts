import type { SharedConfig } from '@recto/config';

/**
 * Where to open a connection that must keep its Postgres session (LISTEN, a session advisory lock,
 * a probe that must not queue behind a pooler's busy connections): DATABASE_DIRECT_URL when a
 * transaction pooler sits on DATABASE_URL, else DATABASE_URL itself.
 */
export function sessionDatabaseUrl(
  config: Pick<SharedConfig, 'DATABASE_URL' | 'DATABASE_DIRECT_URL'>,
): string | undefined {
  return config.DATABASE_DIRECT_URL ?? config.DATABASE_URL;
}
