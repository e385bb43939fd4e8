import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DocumentStatus } from '../entities/document-status';
import { DocumentEntity, IiifSource } from '../entities/document.entity';
import { OcrFileEntity } from '../entities/ocr-file.entity';

@Injectable()
export class OcrFileRepository {
  constructor(@InjectRepository(OcrFileEntity) private readonly repo: Repository<OcrFileEntity>) {}

  /**
   * Inserts a document and its OCR files in one transaction, or finds the tenant's document with
   * the same sha256 (then nothing is written): a worker never sees an imported document without
   * its files.
   */
  async insertDocumentWithFiles(
    doc: DocumentEntity,
    files: Omit<OcrFileEntity, 'documentId' | 'createdAt'>[],
  ): Promise<{ document: DocumentEntity; created: boolean }> {
    return this.repo.manager.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(DocumentEntity)
        .values(doc as QueryDeepPartialEntity<DocumentEntity>)
        .orIgnore()
        .returning('id')
        .execute();
      if (inserted.raw.length === 0) {
        const existing = await manager.findOneByOrFail(DocumentEntity, { tenantId: doc.tenantId, sha256: doc.sha256 });
        return { document: existing, created: false };
      }
      await manager.insert(
        OcrFileEntity,
        files.map((f) => ({ ...f, documentId: doc.id })),
      );
      return { document: await manager.findOneByOrFail(DocumentEntity, { id: doc.id }), created: true };
    });
  }

  /**
   * Gives a document recorded before its file (a IIIF import) the file and OCR files its worker
   * job fetched, in one transaction, so the OCR job sees both or neither. Resolves false, writing
   * nothing, when the document is gone, no longer Processing, or has its file already (an earlier
   * attempt of the same job got there first).
   */
  async attachFiles(
    documentId: string,
    /**
     * `ocrProvider`: settled now that the import knows which pages have text; `iiifSource`: what
     * the document keeps of its source once fetched (the job's own reading list can go).
     */
    file: { storageKey: string; sizeBytes: number; ocrProvider: string; iiifSource?: IiifSource },
    files: Omit<OcrFileEntity, 'documentId' | 'createdAt'>[],
  ): Promise<boolean> {
    return this.repo.manager.transaction(async (manager) => {
      const updated = await manager
        .createQueryBuilder()
        .update(DocumentEntity)
        .set({
          storageKey: file.storageKey,
          sizeBytes: file.sizeBytes,
          ocrProvider: file.ocrProvider,
          ...(file.iiifSource ? { iiifSource: file.iiifSource } : {}),
        })
        .where('id = :documentId AND status = :status AND storage_key IS NULL', {
          documentId,
          status: DocumentStatus.Processing,
        })
        .execute();
      if (!updated.affected) return false;
      if (files.length > 0) {
        await manager.insert(
          OcrFileEntity,
          files.map((f) => ({ ...f, documentId })),
        );
      }
      return true;
    });
  }

  listForDocument(documentId: string): Promise<OcrFileEntity[]> {
    return this.repo.find({ where: { documentId }, order: { position: 'ASC' } });
  }

  /** Whether any document or OCR file still refers to a stored file (content-addressed bytes are shared). */
  async isReferenced(storageKey: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(
      `SELECT 1 FROM ocr_files WHERE storage_key = $1 UNION ALL SELECT 1 FROM documents WHERE storage_key = $1 LIMIT 1`,
      [storageKey],
    );
    return rows.length > 0;
  }
}
