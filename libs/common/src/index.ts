export * from './domain.exception';
export * from './error-codes';
export * from './problem-details';
export * from './problem-details.filter';
export * from './not-found.exception';
export * from './request-context';
export * from './logger.module';
export * from './text/word-overlap';
