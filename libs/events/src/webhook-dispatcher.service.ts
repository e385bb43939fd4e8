import { Injectable, Logger } from '@nestjs/common';
import { WorkerConfig } from '@recto/config';
import { AttemptOutcome, AttemptVerdict, ClaimedDelivery, WebhookDeliveryRepository } from '@recto/database';
import { retryDelayMs } from './retry-backoff';
import { WebhookHttpSender } from './webhook-http.sender';
import { buildEventPayload } from './webhook-payload.builder';
import { signWebhook } from './webhook-signature';

// A claimed delivery is not given to another worker before its send could have timed out.
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends due webhook deliveries from the outbox: claims a batch (other workers skip it), sends each
 * signed with its endpoint's secret, and records the attempt: done on a 2xx, else retried with
 * exponential backoff and jitter until WEBHOOK_MAX_ATTEMPTS, then failed.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly sender: WebhookHttpSender,
    private readonly config: WorkerConfig,
  ) {}

  /** Sends one batch; resolves how many deliveries it attempted (0: nothing was due). */
  async runOnce(): Promise<number> {
    const batch = await this.deliveries.claimDue(
      this.config.WEBHOOK_CONCURRENCY,
      this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS,
    );
    await Promise.all(batch.map((d) => this.attempt(d)));
    return batch.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(
      buildEventPayload(
        { type: delivery.eventType, createdAt: delivery.eventCreatedAt, data: delivery.eventData },
        this.config.PUBLIC_URL,
      ),
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await this.sender.send({
      url: delivery.url,
      body,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      headers: {
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(delivery.secret, delivery.eventId, timestamp, body),
      },
    });
    const verdict = this.verdictOf(delivery, outcome);
    const disabled = await this.deliveries.recordAttempt(
      delivery,
      outcome,
      verdict,
      this.config.WEBHOOK_DISABLE_AFTER_MS,
    );
    const log = { deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: delivery.attempt, ...outcome };
    if (verdict.kind === 'retry')
      this.logger.log({ ...log, retryInMs: verdict.delayMs }, 'Webhook delivery failed; will retry');
    if (verdict.kind === 'failed') this.logger.warn(log, 'Webhook delivery failed for good');
    if (disabled) this.logger.warn({ endpointId: delivery.endpointId }, 'Webhook endpoint disabled: failing too long');
  }

  private verdictOf(delivery: ClaimedDelivery, outcome: AttemptOutcome): AttemptVerdict {
    if (outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300) {
      return { kind: 'succeeded' };
    }
    if (delivery.attempt >= (delivery.attemptLimit ?? this.config.WEBHOOK_MAX_ATTEMPTS)) return { kind: 'failed' };
    const { WEBHOOK_BACKOFF_BASE_MS: base, WEBHOOK_BACKOFF_MAX_MS: max } = this.config;
    return { kind: 'retry', delayMs: retryDelayMs(delivery.attempt, base, max) };
  }
}
