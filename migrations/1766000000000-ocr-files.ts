import { MigrationInterface, QueryRunner } from 'typeorm';

export class OcrFiles1766000000000 implements MigrationInterface {
  name = 'OcrFiles1766000000000';

  async up(q: QueryRunner): Promise<void> {
    // The OCR files a document was uploaded with (ALTO, hOCR, PAGE), in page order, kept so that
    // `reprocess` with `import` can read them again. Bytes are content-addressed like originals.
    await q.query(`
      CREATE TABLE ocr_files (
        id uuid PRIMARY KEY,
        document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        position int NOT NULL,
        format text NOT NULL,
        filename text,
        storage_key text NOT NULL,
        sha256 char(64) NOT NULL,
        size_bytes bigint NOT NULL,
        page_count int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_ocr_files_document_position ON ocr_files (document_id, position)`);
    // Deleting a document removes a stored file only when nothing else refers to it.
    await q.query(`CREATE INDEX ix_ocr_files_storage_key ON ocr_files (storage_key)`);
    await q.query(`CREATE INDEX ix_documents_storage_key ON documents (storage_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_documents_storage_key`);
    await q.query(`DROP TABLE ocr_files`);
  }
}
