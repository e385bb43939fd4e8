export * from './entities';
export * from './data-source-options';
export * from './ensure-database';
export * from './run-migrations';
export * from './database.module';
export * from './repositories/document.repository';
export * from './repositories/page.repository';
export * from './repositories/idempotency-key.repository';
