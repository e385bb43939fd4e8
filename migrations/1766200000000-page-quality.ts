import { MigrationInterface, QueryRunner } from 'typeorm';

export class PageQuality1766200000000 implements MigrationInterface {
  name = 'PageQuality1766200000000';

  async up(q: QueryRunner): Promise<void> {
    // What the local engine did to each page before reading it, and how well it read.
    await q.query(`
      ALTER TABLE pages
        ADD COLUMN rotation smallint NOT NULL DEFAULT 0,
        ADD COLUMN deskew_degrees real NOT NULL DEFAULT 0,
        ADD COLUMN upscale real,
        ADD COLUMN mean_confidence real,
        ADD COLUMN quality text,
        ADD COLUMN quality_reason text`);
    await q.query(`
      ALTER TABLE documents
        ADD COLUMN quality text,
        ADD COLUMN quality_reason text,
        ADD COLUMN pages_done int`);
    // Low-quality documents are few: a partial index serves the list filter in the list's order.
    await q.query(
      `CREATE INDEX ix_documents_tenant_low_quality ON documents (tenant_id, created_at, id) WHERE quality = 'low'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_documents_tenant_low_quality`);
    await q.query(`ALTER TABLE documents DROP COLUMN quality, DROP COLUMN quality_reason, DROP COLUMN pages_done`);
    await q.query(`
      ALTER TABLE pages
        DROP COLUMN rotation, DROP COLUMN deskew_degrees, DROP COLUMN upscale,
        DROP COLUMN mean_confidence, DROP COLUMN quality, DROP COLUMN quality_reason`);
  }
}
