import { loadConfig, TestConfig } from '@recto/config';
import { runMigrations } from '@recto/database';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one suite, dropped afterwards. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = new URL(loadConfig(TestConfig).RECTO_TEST_DATABASE_URL);
  const name = `recto_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const admin = new Client({ connectionString: server.toString() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
