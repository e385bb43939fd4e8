export * from './file-storage.service';
export * from './file-too-large.exception';
export * from './storage.module';
export * from './page-image-cache.service';
