import 'reflect-metadata';
import { ConfigValidationError, loadConfig, WorkerConfig } from '@recto/config';
import { startWorker } from './bootstrap-worker';

startWorker(loadConfig(WorkerConfig)).catch((err: unknown) => {
  console.error(err instanceof ConfigValidationError ? err.message : err);
  process.exit(1);
});
