import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';

export type WebhookEndpointChanges = Partial<Pick<WebhookEndpointEntity, 'url' | 'description' | 'events' | 'enabled'>>;

/** A tenant's webhook endpoints; every read and write is scoped to the tenant. */
@Injectable()
export class WebhookEndpointRepository {
  constructor(@InjectRepository(WebhookEndpointEntity) private readonly repo: Repository<WebhookEndpointEntity>) {}

  async insert(
    endpoint: Omit<WebhookEndpointEntity, 'createdAt' | 'updatedAt' | 'disabledReason' | 'failingSince'>,
  ): Promise<WebhookEndpointEntity> {
    await this.repo.insert(endpoint);
    return this.repo.findOneByOrFail({ id: endpoint.id });
  }

  findForTenant(tenantId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return this.repo.findOneBy({ tenantId, id });
  }

  list(tenantId: string): Promise<WebhookEndpointEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Turning an endpoint on (again) forgets why and since when it was failing. */
  async update(tenantId: string, id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointEntity | null> {
    const reset = changes.enabled === true ? { disabledReason: null, failingSince: null } : {};
    await this.repo.update({ tenantId, id }, { ...changes, ...reset });
    return this.findForTenant(tenantId, id);
  }

  async setSecret(tenantId: string, id: string, secret: string): Promise<WebhookEndpointEntity | null> {
    await this.repo.update({ tenantId, id }, { secret });
    return this.findForTenant(tenantId, id);
  }

  /** Its deliveries and their attempts go with it. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.repo.delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }
}
