export * from './document-status';
export * from './document.entity';
export * from './page.entity';
export * from './word.entity';
export * from './idempotency-key.entity';
export * from './provider-job.entity';
export * from './api-key.entity';
