import { Module } from '@nestjs/common';
import { EventStreamService } from './event-stream.service';
import { WebhookUrlGuard } from './webhook-url.guard';
import { WebhookService } from './webhook.service';

/** The API side: webhook endpoints and the event stream. */
@Module({
  providers: [WebhookService, WebhookUrlGuard, EventStreamService],
  exports: [WebhookService, EventStreamService],
})
export class EventsModule {}
