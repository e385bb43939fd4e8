import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { IdempotencyKeyEntity } from '../entities/idempotency-key.entity';

@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectRepository(IdempotencyKeyEntity) private readonly repo: Repository<IdempotencyKeyEntity>) {}

  find(tenantId: string, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.repo.findOneBy({ tenantId, key });
  }

  /** First writer wins; a concurrent retry then reads the winner's answer. */
  async remember(entry: Omit<IdempotencyKeyEntity, 'createdAt'>): Promise<IdempotencyKeyEntity> {
    await this.repo.createQueryBuilder().insert().values(entry).orIgnore().execute();
    return this.repo.findOneByOrFail({ tenantId: entry.tenantId, key: entry.key });
  }
}
