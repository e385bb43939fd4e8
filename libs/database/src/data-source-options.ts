import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import {
  ApiKeyEntity,
  DocumentEntity,
  IdempotencyKeyEntity,
  OcrFileEntity,
  PageEntity,
  ProviderJobEntity,
  WebhookEndpointEntity,
} from './entities';

export const ENTITIES = [
  DocumentEntity,
  PageEntity,
  IdempotencyKeyEntity,
  ProviderJobEntity,
  ApiKeyEntity,
  WebhookEndpointEntity,
  OcrFileEntity,
];

/** One definition for the apps and the migration command; the schema only ever changes by migration. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
    ...extra,
  } as DataSourceOptions;
}

/**
 * With a replica, TypeORM keeps every query on the primary (`defaultMode: master`: reads right
 * after writes must see them) and PageRepository.findHitPages alone asks for the replica's pool.
 */
export function replicaOptions(primaryUrl: string, replicaUrl: string | undefined): Partial<DataSourceOptions> {
  if (!replicaUrl) return {};
  return {
    url: undefined,
    replication: { master: { url: primaryUrl }, slaves: [{ url: replicaUrl }], defaultMode: 'master' },
  } as Partial<DataSourceOptions>;
}
