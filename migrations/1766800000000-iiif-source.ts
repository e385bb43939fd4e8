import { MigrationInterface, QueryRunner } from 'typeorm';

/** Documents imported from a IIIF manifest keep where they came from: the manifest and its canvases. */
export class IiifSource1766800000000 implements MigrationInterface {
  name = 'IiifSource1766800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents ADD COLUMN iiif_source jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents DROP COLUMN iiif_source`);
  }
}
