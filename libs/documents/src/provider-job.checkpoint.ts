import { ProviderJobEntity, ProviderJobRepository, ProviderJobStatus } from '@recto/database';
import { OcrCheckpoint, OcrCheckpointState } from '@recto/ocr';

/**
 * One attempt's view of a document's OCR run in `provider_jobs`. It remembers the row and version
 * it last saw, so that of two attempts racing on one run only one can move it forward.
 */
export class ProviderJobCheckpoint implements OcrCheckpoint {
  private row: ProviderJobEntity | null = null;

  constructor(
    private readonly jobs: ProviderJobRepository,
    readonly documentId: string,
    readonly provider: string,
  ) {}

  /** The run's row id, once the provider saved anything; null for providers that never do. */
  get runId(): string | null {
    return this.row?.id ?? null;
  }

  async load(): Promise<OcrCheckpointState | null> {
    this.row = this.row
      ? await this.jobs.findById(this.row.id)
      : await this.jobs.findCurrent(this.documentId, this.provider);
    if (!this.row || this.row.status === ProviderJobStatus.Superseded) return null;
    return {
      externalId: this.row.externalId,
      data: this.row.state,
      savedAt: this.row.updatedAt,
      completed: this.row.status === ProviderJobStatus.Completed,
    };
  }

  async save(update: { externalId?: string | null; data: Record<string, unknown> }): Promise<boolean> {
    const saved = this.row
      ? await this.jobs.saveState(this.row.id, this.row.version, update.externalId, update.data)
      : await this.jobs.insertOpen(this.documentId, this.provider, update.externalId ?? null, update.data);
    if (!saved) return false;
    this.row = saved;
    return true;
  }
}
