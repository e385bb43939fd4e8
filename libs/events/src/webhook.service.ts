import { Injectable } from '@nestjs/common';
import {
  DeliveryRecord,
  DeliveryStatus,
  EventType,
  WebhookDeliveryRepository,
  WebhookEndpointChanges,
  WebhookEndpointEntity,
  WebhookEndpointRepository,
} from '@recto/database';
import { randomUUID } from 'node:crypto';
import { WebhookDeliveryNotFoundException, WebhookNotFoundException } from './webhook.exceptions';
import { generateWebhookSecret } from './webhook-signature';
import { WebhookUrlGuard } from './webhook-url.guard';

export interface NewWebhook {
  url: string;
  events: EventType[];
  description?: string | null;
  enabled?: boolean;
}

/** A tenant's webhook endpoints and their deliveries; another tenant's endpoint is a 404. */
@Injectable()
export class WebhookService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveryLog: WebhookDeliveryRepository,
    private readonly urls: WebhookUrlGuard,
  ) {}

  /** The secret is on the returned entity: the only time the caller sees it, besides a rotation. */
  async create(tenantId: string, input: NewWebhook): Promise<WebhookEndpointEntity> {
    await this.urls.check(input.url);
    return this.endpoints.insert({
      id: randomUUID(),
      tenantId,
      url: input.url,
      description: input.description ?? null,
      events: [...new Set(input.events)],
      enabled: input.enabled ?? true,
      secret: generateWebhookSecret(),
    });
  }

  list(tenantId: string): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.list(tenantId);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.findForTenant(tenantId, id);
    if (!endpoint) throw new WebhookNotFoundException();
    return endpoint;
  }

  async update(tenantId: string, id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointEntity> {
    await this.get(tenantId, id);
    if (changes.url !== undefined) await this.urls.check(changes.url);
    const events = changes.events ? { events: [...new Set(changes.events)] } : {};
    return (await this.endpoints.update(tenantId, id, { ...changes, ...events })) ?? this.get(tenantId, id);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(tenantId, id))) throw new WebhookNotFoundException();
  }

  /** The old secret stops signing at once; deliveries still pending are signed with the new one. */
  async rotateSecret(tenantId: string, id: string): Promise<WebhookEndpointEntity> {
    await this.get(tenantId, id);
    return (await this.endpoints.setSecret(tenantId, id, generateWebhookSecret())) ?? this.get(tenantId, id);
  }

  async deliveries(
    tenantId: string,
    id: string,
    query: { limit: number; status?: DeliveryStatus },
  ): Promise<DeliveryRecord[]> {
    await this.get(tenantId, id);
    return this.deliveryLog.listForEndpoint(id, query.limit, query.status);
  }

  async resend(tenantId: string, id: string, deliveryId: string): Promise<DeliveryRecord> {
    await this.get(tenantId, id);
    if (!(await this.deliveryLog.resend(id, deliveryId))) throw new WebhookDeliveryNotFoundException();
    const delivery = await this.deliveryLog.find(id, deliveryId);
    if (!delivery) throw new WebhookDeliveryNotFoundException();
    return delivery;
  }
}
