import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { SharedConfig } from '@recto/config';
import { FileStorage } from '@recto/storage';
import type { Request, Response } from 'express';
import multer from 'multer';
import { finalize, Observable } from 'rxjs';
import type { UploadedScan } from './upload-storage.engine';
import { UploadStorageEngine } from './upload-storage.engine';
import { fromMulterError, MultipartLimits } from './multipart-error.mapper';

/** OCR parts of one upload: one per page or per multi-page file, so at most a document's pages. */
export const MAX_OCR_PARTS = 200;

export type UploadedParts = { file?: UploadedScan[]; ocr?: UploadedScan[] };

/**
 * Multipart uploads: one `file`, any number of `ocr` parts (imported OCR), plus text fields,
 * streamed to disk. JSON requests pass through untouched (multer ignores non-multipart bodies).
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
        files: 1 + MAX_OCR_PARTS,
        fields: this.limits.fields,
        fieldSize: this.limits.fieldSizeBytes,
        parts: this.limits.parts + MAX_OCR_PARTS,
        fieldNameSize: this.limits.fieldNameBytes,
      },
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    await new Promise<void>((resolve, reject) =>
      this.upload.fields([
        { name: 'file', maxCount: 1 },
        { name: 'ocr', maxCount: MAX_OCR_PARTS },
      ])(req, res, (err: unknown) => (err ? reject(fromMulterError(err, this.limits)) : resolve())),
    );
    const parts = (req.files ?? {}) as UploadedParts;
    req.file = parts.file?.[0];
    const received = [...(parts.file ?? []), ...(parts.ocr ?? [])].map((p) => p.received);
    // A request rejected after the upload (validation, replay) must not leave its bytes behind;
    // once committed the temporary path is gone and this is a no-op.
    return next
      .handle()
      .pipe(finalize(() => void Promise.all(received.map((r) => this.storage.discard(r))).catch(() => undefined)));
  }
}
