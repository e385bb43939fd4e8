import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { Client } from 'pg';
import { sessionDatabaseUrl } from './session-database-url';

const PROBE_INTERVAL_MS = 1_000;
/** A probe slower than this counts as Postgres not answering. */
const PROBE_TIMEOUT_MS = 1_500;

/**
 * Tells whether Postgres answers, from a `SELECT 1` every second on a connection of its own.
 *
 * Why: a frozen Postgres (stopped, swapping, a stuck disk) keeps its sockets open, so queries on
 * pooled connections wait forever. A statement timeout short enough to answer people quickly
 * would also kill long legitimate queries; this watch lets the API answer 503 to requests in
 * flight within about two seconds of an outage while every query on a live server runs its course.
 */
@Injectable()
export class DatabaseWatchdog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DatabaseWatchdog.name);
  private readonly listeners = new Set<() => void>();
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private probing = false;
  private down = false;

  constructor(private readonly config: SharedConfig) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.listeners.clear();
    await this.client?.end().catch(() => undefined);
  }

  isDown(): boolean {
    return this.down;
  }

  /** Calls `listener` when Postgres stops answering; returns the unsubscribe function. */
  onDown(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      if (!this.client) {
        const client = new Client({
          // Postgres itself: through a transaction pooler the probe would wait for a free server connection,
          // and a pool busy with long queries would read as an outage.
          connectionString: sessionDatabaseUrl(this.config),
          connectionTimeoutMillis: PROBE_TIMEOUT_MS,
          query_timeout: PROBE_TIMEOUT_MS,
        });
        client.on('error', () => undefined);
        this.client = client;
        await client.connect();
      }
      await this.client.query('SELECT 1');
      if (this.down) this.logger.log('Postgres answers again');
      this.down = false;
    } catch (err) {
      // Not awaited: ending a connection to a frozen server waits for it.
      void this.client?.end().catch(() => undefined);
      this.client = undefined;
      if (!this.down) {
        this.down = true;
        this.logger.error({ err }, 'Postgres does not answer; requests in flight get 503');
        for (const listener of [...this.listeners]) listener();
      }
    } finally {
      this.probing = false;
    }
  }
}
