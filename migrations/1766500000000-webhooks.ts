import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1766500000000 implements MigrationInterface {
  name = 'Webhooks1766500000000';

  async up(q: QueryRunner): Promise<void> {
    // The outbox: one row per state change, written in the transaction that made the change.
    // `seq` orders a tenant's stream (SSE Last-Event-ID); writers serialise per tenant on an
    // advisory lock, so seq order is commit order and a reader never skips a later-committing row.
    await q.query(`
      CREATE TABLE events (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        tenant_id text NOT NULL,
        type text NOT NULL,
        document_id uuid,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_events_tenant_seq ON events (tenant_id, seq)`);
    // The secret signs deliveries, so it is kept as is (unlike API keys, only digested).
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        url text NOT NULL,
        description text,
        events text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        secret text NOT NULL,
        disabled_reason text,
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_seq bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        attempt_limit int,
        next_attempt_at timestamptz DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_webhook_deliveries_endpoint_event UNIQUE (endpoint_id, event_seq)
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, event_seq DESC)`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_seq)`);
    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        status_code int,
        duration_ms int NOT NULL,
        error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, attempt)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_endpoints`);
    await q.query(`DROP TABLE events`);
  }
}
