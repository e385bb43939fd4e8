import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { FileStorage, ReceivedFile } from '@recto/storage';

export type UploadedScan = Express.Multer.File & { received: ReceivedFile };

/**
 * A multer storage engine that streams the upload straight to the data directory, hashing and
 * measuring as it goes, so a 100 MB scan never sits in memory.
 */
export class UploadStorageEngine implements StorageEngine {
  constructor(
    private readonly storage: FileStorage,
    private readonly maxBytes: number,
  ) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<UploadedScan>) => void,
  ): void {
    this.storage.receive(file.stream, this.maxBytes).then(
      (received) => cb(null, { path: received.tempPath, size: received.sizeBytes, received }),
      (err) => cb(err),
    );
  }

  _removeFile(_req: Request, file: UploadedScan, cb: (error: Error | null) => void): void {
    const received = file.received;
    if (!received) return cb(null);
    this.storage.discard(received).then(
      () => cb(null),
      (err: Error) => cb(err),
    );
  }
}
