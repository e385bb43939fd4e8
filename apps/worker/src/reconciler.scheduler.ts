import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReconcilerService } from '@recto/documents';

const EVERY_MS = 60_000;
/** A Processing document untouched this long with no job is considered lost by the queue. */
const IDLE_MS = 120_000;

@Injectable()
export class ReconcilerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly reconciler: ReconcilerService) {}

  onApplicationBootstrap(): void {
    const run = () =>
      this.reconciler.reconcile(IDLE_MS).catch((err: unknown) => this.logger.warn({ err }, 'Reconciliation failed'));
    this.timer = setInterval(run, EVERY_MS);
    this.timer.unref();
    void run();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
