export * from './api-key.service';
export * from './rate-limiter';
export * from './too-many-requests.exception';
export * from './auth.module';
