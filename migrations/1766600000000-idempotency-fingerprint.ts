import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyFingerprint1766600000000 implements MigrationInterface {
  name = 'IdempotencyFingerprint1766600000000';

  async up(q: QueryRunner): Promise<void> {
    // NULL for keys remembered before: they keep replaying whatever request comes with them.
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN request_fingerprint char(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN request_fingerprint`);
  }
}
