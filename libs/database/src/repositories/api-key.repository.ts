import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  async insert(key: Omit<ApiKeyEntity, 'createdAt' | 'revokedAt'>): Promise<ApiKeyEntity> {
    await this.repo.insert(key);
    return this.repo.findOneByOrFail({ id: key.id });
  }

  findActiveByDigest(keySha256: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ keySha256, revokedAt: IsNull() });
  }

  /** Any key ever created, revoked ones included: revoking the last key must not open the API. */
  async anyEverCreated(): Promise<boolean> {
    return (await this.repo.createQueryBuilder('k').select('1').limit(1).getRawOne()) !== undefined;
  }

  list(tenantId?: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: tenantId ? { tenantId } : {}, order: { createdAt: 'ASC' } });
  }

  /** By id or by prefix; returns the keys it revoked (none when nothing active matched). */
  async revoke(idOrPrefix: string): Promise<ApiKeyEntity[]> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
    const where = isUuid ? { id: idOrPrefix, revokedAt: IsNull() } : { prefix: idOrPrefix, revokedAt: IsNull() };
    const found = await this.repo.findBy(where);
    if (found.length === 0) return [];
    await this.repo.update(where, { revokedAt: new Date() });
    return this.repo.findBy(found.map((k) => ({ id: k.id })));
  }
}
