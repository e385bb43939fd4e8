import { ProblemDetails } from '@recto/common';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DocumentStatus } from '../entities/document-status';
import { DocumentEntity } from '../entities/document.entity';
import { EventType } from '../entities/event-type';
import { EventOutboxRepository } from './event-outbox.repository';

export interface ListDocumentsQuery {
  tenantId: string;
  status?: DocumentStatus;
  /** `low` or `ok`: documents whose OCR was judged so. */
  quality?: string;
  /** Lower-case hex; finds the tenant's document with these bytes (used to resume bulk imports). */
  sha256?: string;
  limit: number;
  /** Keyset position: the (created_at, id) of the last document of the previous page. */
  after?: { createdAt: Date; id: string };
}

@Injectable()
export class DocumentRepository {
  constructor(
    @InjectRepository(DocumentEntity) private readonly repo: Repository<DocumentEntity>,
    private readonly events: EventOutboxRepository,
  ) {}

  /** Inserts unless the tenant already has these bytes; returns the stored row and whether it is new. */
  async insertOrGetDuplicate(doc: DocumentEntity): Promise<{ document: DocumentEntity; created: boolean }> {
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .into(DocumentEntity)
      .values(doc as QueryDeepPartialEntity<DocumentEntity>)
      .orIgnore()
      .returning('*')
      .execute();
    if (result.raw.length > 0) {
      return { document: await this.repo.findOneByOrFail({ id: doc.id }), created: true };
    }
    const existing = await this.repo.findOneByOrFail({ tenantId: doc.tenantId, sha256: doc.sha256 });
    return { document: existing, created: false };
  }

  findForTenant(tenantId: string, id: string): Promise<DocumentEntity | null> {
    return this.repo.findOneBy({ tenantId, id });
  }

  findById(id: string): Promise<DocumentEntity | null> {
    return this.repo.findOneBy({ id });
  }

  list(query: ListDocumentsQuery): Promise<DocumentEntity[]> {
    const qb = this.repo
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId', { tenantId: query.tenantId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(query.limit);
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.quality) qb.andWhere('d.quality = :quality', { quality: query.quality });
    if (query.sha256) qb.andWhere('d.sha256 = :sha256', { sha256: query.sha256 });
    if (query.after) {
      qb.andWhere('(d.created_at, d.id) < (:createdAt, :id)', {
        createdAt: query.after.createdAt,
        id: query.after.id,
      });
    }
    return qb.getMany();
  }

  async markProcessing(id: string, provider: string): Promise<void> {
    await this.repo.update(
      { id },
      { status: DocumentStatus.Processing, ocrProvider: provider, error: null, completedAt: null, pagesDone: null },
    );
  }

  /**
   * Progress of the OCR run of a document still Processing: its page count as soon as the engine
   * knows it, and the pages read so far, announced as `document.progress` in the same transaction.
   * Never over a finished document, and nothing announced when nothing changed.
   */
  async recordProgress(id: string, pageCount: number, pagesDone: number): Promise<void> {
    await this.repo.manager.transaction(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(DocumentEntity)
        .set({ pageCount, pagesDone })
        .where('id = :id AND status = :status', { id, status: DocumentStatus.Processing })
        .andWhere('(page_count IS DISTINCT FROM :pageCount OR pages_done IS DISTINCT FROM :pagesDone)', {
          pageCount,
          pagesDone,
        })
        .execute();
      if (!result.affected) return;
      await this.events.append(m, EventType.DocumentProgress, await m.findOneByOrFail(DocumentEntity, { id }));
    });
  }

  /** Fails the document (if it still exists), announcing `document.failed` in the same transaction. */
  async markFailed(id: string, error: ProblemDetails): Promise<void> {
    await this.repo.manager.transaction(async (m) => {
      const result = await m.update(
        DocumentEntity,
        { id },
        {
          status: DocumentStatus.Failed,
          error: error as QueryDeepPartialEntity<ProblemDetails>,
          completedAt: new Date(),
        },
      );
      if (!result.affected) return;
      await this.events.append(m, EventType.DocumentFailed, await m.findOneByOrFail(DocumentEntity, { id }));
    });
  }

  /**
   * Only a document still Processing becomes Processed, so a late duplicate job cannot resurrect a
   * failure; `document.processed` is announced in the same transaction.
   */
  async markProcessed(id: string): Promise<boolean> {
    return this.repo.manager.transaction(async (m) => {
      const result = await m.update(
        DocumentEntity,
        { id, status: DocumentStatus.Processing },
        { status: DocumentStatus.Processed, error: null, completedAt: new Date(), indexedAt: new Date() },
      );
      if (!result.affected) return false;
      await this.events.append(m, EventType.DocumentProcessed, await m.findOneByOrFail(DocumentEntity, { id }));
      return true;
    });
  }

  /** Deletes the row (pages and words cascade), announcing `document.deleted` with its last state. */
  async delete(id: string): Promise<void> {
    await this.repo.manager.transaction(async (m) => {
      const document = await m.findOne(DocumentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!document) return;
      await m.delete(DocumentEntity, { id });
      await this.events.append(m, EventType.DocumentDeleted, document);
    });
  }

  /** Documents left Processing since before `olderThan` (for the reconciler). */
  findStuckProcessing(olderThan: Date, limit: number): Promise<DocumentEntity[]> {
    return this.repo
      .createQueryBuilder('d')
      .where('d.status = :status', { status: DocumentStatus.Processing })
      .andWhere('d.updated_at < :olderThan', { olderThan })
      .orderBy('d.updated_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Every document in id order, a batch at a time (for rebuilding the search index). */
  findBatchAfter(afterId: string | null, limit: number): Promise<DocumentEntity[]> {
    const qb = this.repo.createQueryBuilder('d').orderBy('d.id', 'ASC').limit(limit);
    if (afterId) qb.where('d.id > :afterId', { afterId });
    return qb.getMany();
  }

  async countByStatus(tenantId: string): Promise<Record<string, number>> {
    const rows: { status: string; n: string }[] = await this.repo
      .createQueryBuilder('d')
      .select('d.status', 'status')
      .addSelect('count(*)', 'n')
      .where('d.tenant_id = :tenantId', { tenantId })
      .groupBy('d.status')
      .getRawMany();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
