import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventNotificationListener, EventOutboxRepository, StoredEvent } from '@recto/database';

const BATCH = 200;

export interface EventStreamSink {
  /** Events in seq order, each once. */
  write(events: StoredEvent[]): void;
  /** The stream is over (the server is shutting down, or reading failed). */
  end(): void;
}

export interface EventSubscription {
  close(): void;
  /** Reads the table again (for a periodic safety net besides notifications). */
  poll(): void;
}

/**
 * A tenant's event stream for `GET /v1/events`, in any number of API processes: the events table
 * is the stream (replayed from `Last-Event-ID`), and Postgres notifications only say when to read
 * it again, so every event reaches every subscriber once and in order.
 */
@Injectable()
export class EventStreamService implements OnModuleDestroy {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly events: EventOutboxRepository,
    private readonly notifications: EventNotificationListener,
  ) {}

  /** From after `afterSeq`, or from now when it is null. */
  async subscribe(tenantId: string, afterSeq: number | null, sink: EventStreamSink): Promise<EventSubscription> {
    let closed = false;
    let ready = false;
    let reading = false;
    let again = false;
    let cursor = 0;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      this.open.delete(end);
    };
    const end = () => {
      close();
      sink.end();
    };
    const read = async () => {
      if (closed) return;
      if (reading || !ready) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          let batch: StoredEvent[];
          do {
            batch = await this.events.listAfter(tenantId, cursor, BATCH);
            if (closed) return;
            if (batch.length > 0) {
              cursor = batch[batch.length - 1].seq;
              sink.write(batch);
            }
          } while (batch.length === BATCH);
        } while (again && !closed);
      } catch {
        end();
      } finally {
        reading = false;
      }
    };
    // Listening before the starting point is taken: nothing committed in between is missed.
    const unsubscribe = this.notifications.subscribe((n) => {
      if (n === null || n.tenant_id === tenantId) void read();
    });
    this.open.add(end);
    try {
      cursor = afterSeq ?? (await this.events.latestSeq(tenantId));
    } catch (err) {
      close();
      throw err;
    }
    ready = true;
    void read();
    return { close, poll: () => void read() };
  }

  /** Open streams would keep the HTTP server from closing. */
  onModuleDestroy(): void {
    for (const end of [...this.open]) end();
  }
}
