import { LauncherConfig } from '@recto/config';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const readSecret = (file: string, what: string) =>
  readFile(file, 'utf8').then(
    (s) => s.trim(),
    () => {
      throw new Error(
        `${what} is unset and there is no embedded one under DATA_DIR (${file}); run \`npm start\` first.`,
      );
    },
  );

/** DATABASE_URL, else the embedded Postgres that `npm start` runs under DATA_DIR. */
export async function databaseUrlOf(config: LauncherConfig): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const password = await readSecret(join(resolve(config.DATA_DIR), 'postgres-password'), 'DATABASE_URL');
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_POSTGRES_PORT}/recto`;
}

/** MEILI_URL and its key, else the embedded Meilisearch that `npm start` runs under DATA_DIR. */
export async function meilisearchOf(config: LauncherConfig): Promise<{ url: string; apiKey?: string }> {
  if (config.MEILI_URL) return { url: config.MEILI_URL, apiKey: config.MEILI_MASTER_KEY };
  const apiKey = await readSecret(join(resolve(config.DATA_DIR), 'meilisearch', 'master-key'), 'MEILI_URL');
  return { url: `http://127.0.0.1:${config.EMBEDDED_MEILI_PORT}`, apiKey };
}
