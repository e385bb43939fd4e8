import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventType } from '../entities/event-type';
import { DocumentResource } from '../mappers/document-resource.mapper';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One delivery taken by a worker: everything needed to send it. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  /** This attempt's number (1-based), counted when claimed so that a crash mid-send still counts. */
  attempt: number;
  attemptLimit: number | null;
  url: string;
  secret: string;
  eventId: string;
  eventType: EventType;
  eventData: DocumentResource;
  eventCreatedAt: Date;
}

export interface AttemptOutcome {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** What the sender decided after an attempt. */
export type AttemptVerdict = { kind: 'succeeded' } | { kind: 'retry'; delayMs: number } | { kind: 'failed' };

export interface DeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  createdAt: Date;
}

export interface DeliveryRecord {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: EventType;
  documentId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attemptLog: DeliveryAttempt[];
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: EventType;
  document_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
  attempt_log: {
    attempt: number;
    status_code: number | null;
    duration_ms: number;
    error: string | null;
    created_at: string;
  }[];
}

const DELIVERY_SELECT = `
  SELECT d.id, d.endpoint_id, ev.id AS event_id, ev.type AS event_type, ev.document_id, d.status, d.attempts,
         d.next_attempt_at, d.created_at, d.updated_at,
         coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'status_code', a.status_code,
                     'duration_ms', a.duration_ms, 'error', a.error, 'created_at', a.created_at) ORDER BY a.attempt)
                   FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
  FROM webhook_deliveries d JOIN events ev ON ev.seq = d.event_seq`;

const toRecord = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  documentId: r.document_id,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  attemptLog: r.attempt_log.map((a) => ({
    attempt: a.attempt,
    statusCode: a.status_code,
    durationMs: a.duration_ms,
    error: a.error,
    createdAt: new Date(a.created_at),
  })),
});

/**
 * Webhook deliveries, the outbox's work list. Workers claim due deliveries with
 * `FOR UPDATE SKIP LOCKED` and a lease (the next attempt time moved past the send's timeout), so
 * several workers share the list without a queue and a worker killed mid-send only delays a retry.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = (await this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND e.enabled
         ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED),
       claimed AS (
         UPDATE webhook_deliveries d
         SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now()
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.endpoint_id, d.event_seq, d.attempts, d.attempt_limit)
       SELECT c.id, c.endpoint_id, c.attempts, c.attempt_limit, e.url, e.secret,
              ev.id AS event_id, ev.type AS event_type, ev.data AS event_data, ev.created_at AS event_created_at
       FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id JOIN events ev ON ev.seq = c.event_seq`,
      [limit, leaseMs],
    )) as {
      id: string;
      endpoint_id: string;
      attempts: number;
      attempt_limit: number | null;
      url: string;
      secret: string;
      event_id: string;
      event_type: EventType;
      event_data: DocumentResource;
      event_created_at: Date;
    }[];
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      attempt: r.attempts,
      attemptLimit: r.attempt_limit,
      url: r.url,
      secret: r.secret,
      eventId: r.event_id,
      eventType: r.event_type,
      eventData: r.event_data,
      eventCreatedAt: r.event_created_at,
    }));
  }

  /**
   * Logs the attempt and applies the verdict in one transaction. The endpoint's failing streak
   * starts at its first failure and ends at any success; an endpoint failing for longer than
   * `disableAfterMs` (0: never) is turned off. Resolves true when this attempt turned it off.
   */
  async recordAttempt(
    delivery: ClaimedDelivery,
    outcome: AttemptOutcome,
    verdict: AttemptVerdict,
    disableAfterMs: number,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO webhook_delivery_attempts (id, delivery_id, attempt, status_code, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [randomUUID(), delivery.id, delivery.attempt, outcome.statusCode, outcome.durationMs, outcome.error],
      );
      if (verdict.kind === 'succeeded') {
        await m.query(
          `UPDATE webhook_deliveries SET status = 'succeeded', next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
          [delivery.id],
        );
        await m.query('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL', [
          delivery.endpointId,
        ]);
        return false;
      }
      if (verdict.kind === 'retry') {
        await m.query(
          `UPDATE webhook_deliveries SET next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now()
           WHERE id = $1`,
          [delivery.id, verdict.delayMs],
        );
      } else {
        await m.query(
          `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
          [delivery.id],
        );
      }
      await m.query('UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()) WHERE id = $1', [
        delivery.endpointId,
      ]);
      if (disableAfterMs <= 0) return false;
      const [disabled] = (await m.query(
        `UPDATE webhook_endpoints
         SET enabled = false, updated_at = now(),
             disabled_reason = 'Every delivery attempt failed since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '.'
         WHERE id = $1 AND enabled AND failing_since < now() - $2 * interval '1 millisecond' RETURNING id`,
        [delivery.endpointId, disableAfterMs],
      )) as [unknown[], number];
      return disabled.length > 0;
    });
  }

  /** Newest first. */
  async listForEndpoint(endpointId: string, limit: number, status?: DeliveryStatus): Promise<DeliveryRecord[]> {
    const rows = (await this.dataSource.query(
      `${DELIVERY_SELECT} WHERE d.endpoint_id = $1 AND ($3::text IS NULL OR d.status = $3)
       ORDER BY d.event_seq DESC LIMIT $2`,
      [endpointId, limit, status ?? null],
    )) as DeliveryRow[];
    return rows.map(toRecord);
  }

  async find(endpointId: string, id: string): Promise<DeliveryRecord | null> {
    const rows = (await this.dataSource.query(`${DELIVERY_SELECT} WHERE d.endpoint_id = $1 AND d.id = $2`, [
      endpointId,
      id,
    ])) as DeliveryRow[];
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Sends it again as soon as a worker is free, with the same webhook-id: one more attempt for a
   * delivery that had succeeded or given up, an earlier one for a delivery still retrying.
   */
  async resend(endpointId: string, id: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE webhook_deliveries
       SET attempt_limit = CASE WHEN status = 'pending' THEN attempt_limit ELSE attempts + 1 END,
           status = 'pending', next_attempt_at = now(), updated_at = now()
       WHERE endpoint_id = $1 AND id = $2 RETURNING id`,
      [endpointId, id],
    )) as [unknown[], number];
    return rows.length > 0;
  }
}
