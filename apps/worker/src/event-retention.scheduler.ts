import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WorkerConfig } from '@recto/config';
import { EventOutboxRepository } from '@recto/database';

const PRUNE_EVERY_MS = 3600_000;

/** Keeps the events table (outbox and stream replay) to EVENTS_RETENTION_MS, checked hourly. */
@Injectable()
export class EventRetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventRetentionScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly events: EventOutboxRepository,
    private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    const retention = this.config.EVENTS_RETENTION_MS;
    if (retention === 0) return;
    const run = async () => {
      try {
        const before = new Date(Date.now() - retention);
        let removed = 0;
        let batch: number;
        // In batches, so one run never holds a long lock on a table the api appends to.
        do {
          batch = await this.events.prune(before);
          removed += batch;
        } while (batch > 0);
        if (removed > 0) this.logger.log({ removed }, 'Forgot events past EVENTS_RETENTION_MS');
      } catch (err: unknown) {
        this.logger.warn({ err }, 'Pruning old events failed');
      }
    };
    this.timer = setInterval(() => void run(), Math.min(retention, PRUNE_EVERY_MS));
    this.timer.unref();
    void run();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
