import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.service';
import { isPortInUse } from './free-port.util';

// The project-level testTimeout in jest.config.js is not honoured by Jest 29.
jest.setTimeout(120_000);

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg') as {
  Client: new (config: { connectionString: string }) => PgClient;
};

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let root: string;

  beforeAll(async () => {
    // Below /tmp but not in a 0700 mkdtemp dir: the server runs as the "postgres" user.
    root = join(tmpdir(), `recto-pg-${process.pid}-${Date.now()}`);
    await mkdir(root, { mode: 0o755 });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('initialises a cluster, creates the database, and reuses both on restart', async () => {
    const dataDir = join(root, 'pg');
    const first = await startEmbeddedPostgres({ dataDir, port: 0, password: 'p@ss:w/rd' });
    try {
      expect(first.url).toMatch(/\/recto$/);
      await query(first.url, 'CREATE TABLE kept (id int)');
      await query(first.url, 'INSERT INTO kept VALUES (42)');
      const [row] = await query(first.url, 'SELECT current_database() AS db, current_user AS usr');
      expect(row).toEqual({ db: 'recto', usr: 'postgres' });
    } finally {
      await first.stop();
    }
    expect(await isPortInUse(first.port)).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir, password: 'p@ss:w/rd' });
    try {
      expect(await query(second.url, 'SELECT id FROM kept')).toEqual([{ id: 42 }]);
    } finally {
      await second.stop();
    }
  });

  it('fails clearly while a previous server still holds the data dir', async () => {
    const dataDir = join(root, 'held');
    const holder = await startEmbeddedPostgres({ dataDir, password: 'secret' });
    try {
      await expect(startEmbeddedPostgres({ dataDir, password: 'secret' })).rejects.toThrow(
        /did not start[\s\S]*postmaster\.pid/,
      );
    } finally {
      await holder.stop();
    }
  });

  it('refuses a data dir the postgres user cannot reach', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'recto-pg-hidden-'));
    try {
      await expect(startEmbeddedPostgres({ dataDir: join(hidden, 'pg'), password: 'secret' })).rejects.toThrow(
        /cannot traverse/,
      );
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });
});
