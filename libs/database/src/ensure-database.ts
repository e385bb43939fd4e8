import { Client } from 'pg';

/** Creates the database named in `url` when it does not exist yet (the operational contract). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      const quoted = '"' + name.replace(/"/g, '""') + '"';
      await client.query(`CREATE DATABASE ${quoted}`).catch((err: { code?: string }) => {
        // Another process won the race to create it.
        if (err.code !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}
