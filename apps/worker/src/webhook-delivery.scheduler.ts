import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { WorkerConfig } from '@recto/config';
import { EventNotificationListener } from '@recto/database';
import { WebhookDispatcher } from '@recto/events';

/**
 * Runs the webhook sender: woken by each committed event (Postgres notification) and every
 * WEBHOOK_POLL_INTERVAL_MS (retries coming due, missed notifications); drains what is due. On
 * shutdown it stops claiming and lets the sends in flight finish and be recorded.
 */
@Injectable()
export class WebhookDeliveryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryScheduler.name);
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private running?: Promise<void>;
  private wanted = false;
  private stopped = false;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly notifications: EventNotificationListener,
    private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.notifications.subscribe(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.config.WEBHOOK_POLL_INTERVAL_MS);
    this.timer.unref();
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wanted = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.wanted) {
        this.wanted = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.dispatcher.runOnce()) > 0);
    } catch (err) {
      this.logger.warn({ err }, 'Sending webhooks failed; trying again at the next interval');
    }
  }
}
