import { Logger } from '@nestjs/common';
import type { DocumentRepository } from '@recto/database';
import type { OcrProgress } from '@recto/ocr';

/** Progress is written at most this often: a 200-page document makes a few dozen small UPDATEs. */
const MIN_INTERVAL_MS = 1000;

/**
 * Persists an OCR run's progress (page count, pages done) while the engine works, without ever
 * holding it up: one write in flight at a time, later reports coalesced into the next write, and
 * failures only logged (progress is a courtesy; the result is what must be stored).
 */
export class OcrProgressRecorder {
  private readonly logger = new Logger(OcrProgressRecorder.name);
  private latest: OcrProgress | null = null;
  private written: OcrProgress | null = null;
  private writing: Promise<void> | null = null;
  private lastWriteAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly documents: Pick<DocumentRepository, 'recordProgress'>,
    private readonly documentId: string,
    private readonly now: () => number = Date.now,
  ) {}

  readonly report = (progress: OcrProgress): void => {
    this.latest = progress;
    this.schedule();
  };

  /** Waits for the write in flight and drops anything not yet written (the result supersedes it). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
    await this.writing;
  }

  private schedule(): void {
    if (this.writing || this.timer || !this.latest) return;
    // The page count is news worth writing at once; page ticks wait for the interval.
    const first = this.written === null || this.written.pageCount !== this.latest.pageCount;
    const wait = first ? 0 : Math.max(0, this.lastWriteAt + MIN_INTERVAL_MS - this.now());
    if (wait === 0) {
      this.write();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule();
    }, wait);
    this.timer.unref?.();
  }

  private write(): void {
    const progress = this.latest;
    if (!progress) return;
    if (this.written?.pagesDone === progress.pagesDone && this.written.pageCount === progress.pageCount) return;
    this.lastWriteAt = this.now();
    this.writing = this.documents
      .recordProgress(this.documentId, progress.pageCount, progress.pagesDone)
      .then(() => {
        this.written = progress;
      })
      .catch((err: unknown) => this.logger.warn({ err, documentId: this.documentId }, 'Could not record OCR progress'))
      .finally(() => {
        this.writing = null;
        this.schedule();
      });
  }
}
