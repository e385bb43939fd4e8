import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { FileStorage } from '@recto/storage';
import type { Request, Response } from 'express';
import multer from 'multer';
import { finalize, Observable } from 'rxjs';
import type { UploadedScan } from './upload-storage.engine';
import { UploadStorageEngine } from './upload-storage.engine';
import { fromMulterError, MultipartLimits } from './multipart-error.mapper';

/**
 * Multipart uploads: one `file` plus text fields, streamed to disk. JSON requests pass through
 * untouched (multer ignores non-multipart bodies).
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<typeof multer>;
  private readonly limits: MultipartLimits;

  constructor(
    private readonly storage: FileStorage,
    config: SharedConfig,
  ) {
    this.limits = {
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      fields: 20,
      fieldSizeBytes: 256 * 1024,
      parts: 25,
      fieldNameBytes: 100,
    };
    this.upload = multer({
      storage: new UploadStorageEngine(storage, config.MAX_UPLOAD_BYTES),
      limits: {
        fileSize: this.limits.maxUploadBytes,
        files: 1,
        fields: this.limits.fields,
        fieldSize: this.limits.fieldSizeBytes,
        parts: this.limits.parts,
        fieldNameSize: this.limits.fieldNameBytes,
      },
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    await new Promise<void>((resolve, reject) =>
      this.upload.single('file')(req, res, (err: unknown) =>
        err ? reject(fromMulterError(err, this.limits)) : resolve(),
      ),
    );
    const received = (req.file as UploadedScan | undefined)?.received;
    // A request rejected after the upload (validation, replay) must not leave its bytes behind;
    // once committed the temporary path is gone and this is a no-op.
    return next.handle().pipe(finalize(() => void (received && this.storage.discard(received))));
  }
}
