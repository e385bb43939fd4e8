import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DocumentEntity } from '../entities/document.entity';
import { EventType } from '../entities/event-type';
import { DocumentResource, toDocumentResource } from '../mappers/document-resource.mapper';

/** The Postgres channel told of every event at its commit (LISTEN/NOTIFY is transactional). */
export const EVENTS_CHANNEL = 'recto_events';
// First key of the per-tenant advisory lock that orders event writes (the second is the tenant's hash).
const EVENTS_LOCK_CLASS = 7_406_001;

export interface StoredEvent {
  /** Position in the tenant's stream (the SSE id). */
  seq: number;
  /** Unique per event and kept across retries (the `webhook-id`). */
  id: string;
  tenantId: string;
  type: EventType;
  documentId: string | null;
  data: DocumentResource;
  createdAt: Date;
}

/** What NOTIFY carries: enough to know whose stream moved and where to read from. */
export interface EventNotification {
  tenant_id: string;
  seq: number;
}

interface EventRow {
  seq: string;
  id: string;
  tenant_id: string;
  type: EventType;
  document_id: string | null;
  data: DocumentResource;
  created_at: Date;
}

export const toStoredEvent = (r: EventRow): StoredEvent => ({
  seq: Number(r.seq),
  id: r.id,
  tenantId: r.tenant_id,
  type: r.type,
  documentId: r.document_id,
  data: r.data,
  createdAt: r.created_at,
});

/**
 * The transactional outbox: an event is appended by the transaction of the state change that
 * causes it, with one pending delivery per endpoint of the tenant subscribed to it, so that a
 * rolled-back change announces nothing and a committed one cannot be lost.
 */
@Injectable()
export class EventOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Must run inside the caller's transaction (`manager`), after the change it announces. */
  async append(manager: EntityManager, type: EventType, document: DocumentEntity): Promise<StoredEvent> {
    const tenantId = document.tenantId;
    // Held to commit: a tenant's events commit in seq order, so a stream reading "after seq N"
    // can never miss a row that was still uncommitted with a smaller seq.
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [EVENTS_LOCK_CLASS, tenantId]);
    const [row] = (await manager.query(
      `INSERT INTO events (id, tenant_id, type, document_id, data) VALUES ($1, $2, $3, $4, $5)
       RETURNING seq, id, tenant_id, type, document_id, data, created_at`,
      [randomUUID(), tenantId, type, document.id, JSON.stringify(toDocumentResource(document))],
    )) as EventRow[];
    await manager.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_seq)
       SELECT gen_random_uuid(), e.id, $1 FROM webhook_endpoints e
       WHERE e.tenant_id = $2 AND e.enabled AND $3 = ANY (e.events)`,
      [row.seq, tenantId, type],
    );
    const notification: EventNotification = { tenant_id: tenantId, seq: Number(row.seq) };
    await manager.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(notification)]);
    return toStoredEvent(row);
  }

  /** The tenant's events after `afterSeq`, oldest first. */
  async listAfter(tenantId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT seq, id, tenant_id, type, document_id, data, created_at FROM events
       WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [tenantId, afterSeq, limit],
    )) as EventRow[];
    return rows.map(toStoredEvent);
  }

  /**
   * Forgets events older than `before` once no delivery of theirs is still pending (their
   * deliveries and attempts go with them); resolves how many were removed. Streams resumed from
   * an older id simply continue with what is left.
   */
  async prune(before: Date, limit = 10_000): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected].
    const [, removed] = (await this.dataSource.query(
      `DELETE FROM events WHERE seq IN (
         SELECT e.seq FROM events e
         WHERE e.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = e.seq AND d.status = 'pending')
         ORDER BY e.seq LIMIT $2)`,
      [before, limit],
    )) as [unknown[], number];
    return removed;
  }

  /** Where the tenant's stream is now (0 before its first event): a new subscriber starts here. */
  async latestSeq(tenantId: string): Promise<number> {
    const [row] = (await this.dataSource.query('SELECT max(seq) AS seq FROM events WHERE tenant_id = $1', [
      tenantId,
    ])) as { seq: string | null }[];
    return Number(row?.seq ?? 0);
  }
}
