export * from './embedded-meilisearch.service';
export * from './embedded-postgres.service';
export * from './free-port.util';
export * from './service-logger.interface';
export * from './service-supervisor';
export * from './embedded-redis.service';
