import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WorkerConfig } from '@recto/config';
import { ReconcilerService } from '@recto/documents';

@Injectable()
export class ReconcilerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly reconciler: ReconcilerService,
    private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    const run = () =>
      // A Processing document untouched for RECONCILE_IDLE_MS with no live job was lost by the queue.
      this.reconciler
        .reconcile(this.config.RECONCILE_IDLE_MS)
        .catch((err: unknown) => this.logger.warn({ err }, 'Reconciliation failed'));
    this.timer = setInterval(run, this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
    void run();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
