import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { Client } from 'pg';
import { EVENTS_CHANNEL, EventNotification } from './repositories/event-outbox.repository';
import { sessionDatabaseUrl } from './session-database-url';

/** Called with each notification, or with null after a reconnect (some may have been missed: re-read). */
export type EventNotificationHandler = (notification: EventNotification | null) => void;

const RECONNECT_MS = [500, 1000, 2000, 5000];

/**
 * One LISTEN connection per process, opened on the first subscriber and kept open (reconnecting
 * with backoff). Notifications are only a wake-up: readers always read the events table, so a
 * notification lost to a broken connection delays an event, never loses it.
 */
@Injectable()
export class EventNotificationListener implements OnModuleDestroy {
  private readonly logger = new Logger(EventNotificationListener.name);
  private readonly handlers = new Set<EventNotificationHandler>();
  private client: Client | null = null;
  private started = false;
  private closed = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly config: SharedConfig) {}

  subscribe(handler: EventNotificationHandler): () => void {
    this.handlers.add(handler);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    return () => this.handlers.delete(handler);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // Not through a transaction pooler: it would hand the LISTEN's session to other clients and drop the notifications.
    const client = new Client({ connectionString: sessionDatabaseUrl(this.config), connectionTimeoutMillis: 5000 });
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      let notification: EventNotification;
      try {
        notification = JSON.parse(msg.payload) as EventNotification;
      } catch {
        return;
      }
      this.emit(notification);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.log('Listening for events again');
    this.failures = 0;
    // Whatever was committed while we were not listening is picked up by a re-read.
    this.emit(null);
  }

  private lost(client: Client, err: unknown): void {
    if (this.closed || (this.client !== client && this.client !== null)) return;
    if (this.client === client) this.client = null;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    const delay = RECONNECT_MS[Math.min(this.failures, RECONNECT_MS.length - 1)];
    this.failures++;
    this.logger.warn({ err, retryInMs: delay }, 'Event notifications lost; reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private emit(notification: EventNotification | null): void {
    for (const handler of this.handlers) {
      try {
        handler(notification);
      } catch (err) {
        this.logger.warn({ err }, 'An event notification handler threw');
      }
    }
  }
}
