import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document can exist before its file: a IIIF import is recorded (Processing, `storage_key`
 * NULL) when it is requested, and the worker attaches the page stack it fetched. OCR files may
 * be placed on a page of their own (`page_number`), so linked OCR can cover only some pages.
 */
export class DeferredFiles1766900000000 implements MigrationInterface {
  name = 'DeferredFiles1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents ALTER COLUMN storage_key DROP NOT NULL`);
    // NULL: the files follow one another from page 1 (uploads with their OCR).
    await q.query(`ALTER TABLE ocr_files ADD COLUMN page_number int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ocr_files DROP COLUMN page_number`);
    // Imports whose images were never fetched cannot exist without a file: they are dropped.
    await q.query(`DELETE FROM documents WHERE storage_key IS NULL`);
    await q.query(`ALTER TABLE documents ALTER COLUMN storage_key SET NOT NULL`);
  }
}
