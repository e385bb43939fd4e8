import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1765000000000 implements MigrationInterface {
  name = 'ApiKeys1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Only the SHA-256 of a key is kept: keys are 256-bit random, so a plain digest cannot be
    // brute-forced and lets a request be checked with one indexed lookup.
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        prefix text NOT NULL,
        key_sha256 char(64) NOT NULL,
        name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_sha256 ON api_keys (key_sha256)`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_prefix ON api_keys (prefix)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
