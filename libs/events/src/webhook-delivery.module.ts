import { Module } from '@nestjs/common';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookHttpSender } from './webhook-http.sender';
import { WebhookUrlGuard } from './webhook-url.guard';

/** The worker side: sending the outbox's webhook deliveries. */
@Module({
  providers: [WebhookDispatcher, WebhookHttpSender, WebhookUrlGuard],
  exports: [WebhookDispatcher],
})
export class WebhookDeliveryModule {}
