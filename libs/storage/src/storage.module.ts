import { Global, Module } from '@nestjs/common';
import { FileStorage } from './file-storage.service';
import { PageImageCache } from './page-image-cache.service';

@Global()
@Module({ providers: [FileStorage, PageImageCache], exports: [FileStorage, PageImageCache] })
export class StorageModule {}
