export * from './job-name';
export * from './job-handler.interface';
export * from './job-queue.service';
export * from './queue.module';
export * from './redis-connection';
export * from './redis-reachability';
export * from './job-stats.service';
export * from './provider-announcements.service';
