import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764460000000 implements MigrationInterface {
  name = 'InitialSchema1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        filename text NOT NULL,
        alias text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        mime_type text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        storage_key text NOT NULL,
        status text NOT NULL DEFAULT 'Processing' CHECK (status IN ('Processing', 'Processed', 'Failed')),
        page_count int,
        ocr_provider text NOT NULL,
        languages text[],
        error jsonb,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        indexed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_documents_tenant_sha256 ON documents (tenant_id, sha256)`);
    await q.query(`CREATE INDEX ix_documents_tenant_created ON documents (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_documents_status ON documents (status) WHERE status = 'Processing'`);
    await q.query(`
      CREATE TABLE pages (
        id uuid PRIMARY KEY,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number int NOT NULL CHECK (number >= 1),
        width int,
        height int,
        content text NOT NULL,
        source text NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_pages_document_number ON pages (document_id, number)`);
    await q.query(`
      CREATE TABLE words (
        page_id uuid NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        idx int NOT NULL,
        document_id uuid NOT NULL,
        content text NOT NULL,
        polygon jsonb NOT NULL,
        confidence real,
        line int NOT NULL,
        char_start int NOT NULL,
        char_end int NOT NULL,
        PRIMARY KEY (page_id, idx)
      )`);
    // Highlight lookups scan a page's words by where they end in the page text.
    await q.query(`CREATE INDEX ix_words_page_char_end ON words (page_id, char_end)`);
    await q.query(`CREATE INDEX ix_words_document ON words (document_id)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        tenant_id text NOT NULL,
        key text NOT NULL,
        response_status int NOT NULL,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE words`);
    await q.query(`DROP TABLE pages`);
    await q.query(`DROP TABLE documents`);
  }
}
