import { Inject, Injectable } from '@nestjs/common';
import { DocumentRepository, PageRepository } from '@recto/database';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { toIndexDocument } from './index-document.mapper';

export interface ReindexReport {
  documents: number;
  pages: number;
  /** Index entries whose page is no longer in Postgres. */
  pruned: number;
}

const BATCH = 200;

/**
 * Rebuilds the search index from Postgres, the source of truth, while it keeps serving: every
 * stored page is written (settings first), then every entry Postgres no longer has is removed.
 * Nothing is dropped first, so searches keep answering during the rebuild.
 */
@Injectable()
export class ReindexService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly pages: PageRepository,
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
  ) {}

  async rebuild(progress: (report: ReindexReport) => void = () => undefined): Promise<ReindexReport> {
    const report: ReindexReport = { documents: 0, pages: 0, pruned: 0 };
    await this.index.ensureSettings();
    for (let after: string | null = null; ;) {
      const batch = await this.documents.findBatchAfter(after, BATCH);
      if (batch.length === 0) break;
      for (const document of batch) {
        const pages = await this.pages.findPages(document.id);
        await this.index.replaceDocument(
          document.id,
          pages.map((p) => toIndexDocument(document, p)),
        );
        report.documents++;
        report.pages += pages.length;
      }
      after = batch[batch.length - 1].id;
      progress(report);
    }
    // Offsets shift as pages are deleted: collect first, delete after.
    const orphans: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const ids = await this.index.listPageIds(offset, 1000);
      if (ids.length === 0) break;
      const known = new Set((await this.pages.findPagesByIds(ids)).map((p) => p.id));
      orphans.push(...ids.filter((id) => !known.has(id)));
    }
    for (let i = 0; i < orphans.length; i += 1000) await this.index.deletePages(orphans.slice(i, i + 1000));
    report.pruned = orphans.length;
    return report;
  }
}
