import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remote OCR runs (Mindee jobs), so that a worker that dies between enqueue and result resumes
 * the job it started instead of paying for a second one, and so that webhooks find their document.
 */
export class ProviderJobs1764900000000 implements MigrationInterface {
  name = 'ProviderJobs1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider_jobs (
        id uuid PRIMARY KEY,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        provider text NOT NULL,
        external_id text,
        status text NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Completed', 'Superseded')),
        state jsonb NOT NULL DEFAULT '{}'::jsonb,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    // One open run per document: two attempts racing to start one cannot both succeed.
    await q.query(`CREATE UNIQUE INDEX uq_provider_jobs_open ON provider_jobs (document_id) WHERE status = 'Open'`);
    await q.query(`CREATE INDEX ix_provider_jobs_document ON provider_jobs (document_id, created_at)`);
    await q.query(
      `CREATE UNIQUE INDEX uq_provider_jobs_external ON provider_jobs (provider, external_id) WHERE external_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_jobs`);
  }
}
