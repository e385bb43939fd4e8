import { loadConfig, TestConfig } from '@recto/config';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './test-database';
import { TestMeilisearch, useTestMeilisearch } from './test-meilisearch';

export interface TestServices {
  db: TestDatabase;
  meili: TestMeilisearch;
  dataDir: string;
  /** The variables an app needs to run on these services: its own database, index, queue prefix and files. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Real Postgres, Redis and Meilisearch for one suite, isolated from every other suite and service. */
export async function startTestServices(label: string): Promise<TestServices> {
  const db = await createTestDatabase(label);
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), `recto-${label}-`));
  const suffix = `${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  return {
    db,
    meili,
    dataDir,
    env: {
      DATABASE_URL: db.url,
      REDIS_URL: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
      MEILI_URL: meili.url,
      ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
      MEILI_INDEX: suffix,
      QUEUE_PREFIX: `t_${suffix}`,
      DATA_DIR: dataDir,
    },
    async stop() {
      await meili.stop();
      await db.drop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
