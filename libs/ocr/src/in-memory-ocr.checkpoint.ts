import type { OcrCheckpoint, OcrCheckpointState } from './ocr-provider.interface';

/** A checkpoint that lives as long as the process: for one-off runs and tests, resumes nothing. */
export class InMemoryOcrCheckpoint implements OcrCheckpoint {
  private state: OcrCheckpointState | null = null;

  async load(): Promise<OcrCheckpointState | null> {
    return this.state && { ...this.state, data: { ...this.state.data } };
  }

  async save(update: { externalId?: string | null; data: Record<string, unknown> }): Promise<boolean> {
    this.state = {
      externalId: update.externalId ?? this.state?.externalId ?? null,
      data: { ...update.data },
      savedAt: new Date(),
      completed: false,
    };
    return true;
  }

  /** What another path (a webhook) does when it stores the result first. */
  markCompleted(): void {
    if (this.state) this.state.completed = true;
  }
}
