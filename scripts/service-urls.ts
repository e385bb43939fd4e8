import { LauncherConfig, MeilisearchNode, meilisearchNodesOf } from '@recto/config';
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

/** MEILI_URLS or MEILI_URL with their keys, else the embedded Meilisearch that `npm start` runs under DATA_DIR. */
export async function meilisearchNodesFor(config: LauncherConfig): Promise<MeilisearchNode[]> {
  const nodes = meilisearchNodesOf(config);
  if (nodes.length) return nodes;
  const apiKey = await readSecret(join(resolve(config.DATA_DIR), 'meilisearch', 'master-key'), 'MEILI_URL');
  return [{ url: `http://127.0.0.1:${config.EMBEDDED_MEILI_PORT}`, apiKey }];
}
