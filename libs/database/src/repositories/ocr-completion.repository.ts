import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DocumentStatus } from '../entities/document-status';
import { DocumentQuality, NewPage, PageRepository } from './page.repository';
import { ProviderJobRepository } from './provider-job.repository';

/** What storing an OCR result came to; only `Stored` changed anything. */
export enum OcrCompletionOutcome {
  Stored = 'stored',
  /** The document is gone or no longer Processing (deleted, failed, or already stored). */
  DocumentNotProcessing = 'document-not-processing',
  /** The provider run was completed by another delivery, or superseded by a reprocess. */
  RunNotOpen = 'run-not-open',
}

/**
 * Another row change that must commit with the stored result or not at all (an outbox row, say),
 * run inside the transaction after the pages are written.
 */
export type SameTransactionEffect = (manager: EntityManager) => Promise<void>;

export interface OcrResultToStore {
  documentId: string;
  /** The provider_jobs row the result belongs to; null for providers without one. */
  runId: string | null;
  pages: NewPage[];
  /** The document-level verdict on how well its pages read. */
  quality?: DocumentQuality;
}

/**
 * The completion invariant in one transaction: with the document row locked, a result is stored
 * only while the document is Processing and its run (if any) is still open; the run is completed,
 * the pages and words replaced and the caller's effects applied together — or none of them.
 */
@Injectable()
export class OcrCompletionRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pages: PageRepository,
    private readonly providerJobs: ProviderJobRepository,
  ) {}

  storeResult(result: OcrResultToStore, effects: SameTransactionEffect[] = []): Promise<OcrCompletionOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // The lock serialises every writer of this document: status and run cannot change under the checks.
      const [document] = (await manager.query('SELECT status FROM documents WHERE id = $1 FOR UPDATE', [
        result.documentId,
      ])) as { status: DocumentStatus }[];
      if (document?.status !== DocumentStatus.Processing) return OcrCompletionOutcome.DocumentNotProcessing;
      if (result.runId && !(await this.providerJobs.complete(manager, result.runId))) {
        return OcrCompletionOutcome.RunNotOpen;
      }
      await this.pages.replaceInTransaction(manager, result.documentId, result.pages, result.quality);
      for (const effect of effects) await effect(manager);
      return OcrCompletionOutcome.Stored;
    });
  }
}
