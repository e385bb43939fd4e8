export * from './validate-config';
export * from './shared.config';
export * from './api.config';
export * from './worker.config';
export * from './launcher.config';
export * from './config.module';
export * from './child-env';
export * from './test.config';
