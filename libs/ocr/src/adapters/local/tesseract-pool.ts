import { createWorker, OEM, type Worker } from 'tesseract.js';
import { DomainException } from '@recto/common';
import { joinQueue, leaveQueue, type QueuedWaiter } from './abortable-queue';
import type { TesseractLanguageDir } from './tesseract-languages';

interface PoolEntry {
  key: string;
  worker: Promise<Worker>;
  busy: boolean;
}

interface Waiter extends QueuedWaiter {
  key: string;
  languages: string[];
  resolve: (entry: PoolEntry) => void;
}

/**
 * A fixed number of Tesseract workers shared by all documents. Workers are created on first use
 * and keyed by their language set; a free worker with the wrong languages is replaced only when
 * the pool is full, so a steady mix of documents keeps its workers warm.
 */
export class TesseractPool {
  private readonly entries: PoolEntry[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly languages: TesseractLanguageDir,
  ) {}

  /** Runs `job` on a worker loaded with `languages`; aborting terminates the worker mid-job. */
  async run<T>(languages: string[], job: (worker: Worker) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const entry = await this.acquire(languages, signal);
    let worker: Worker;
    try {
      worker = await entry.worker;
    } catch (error) {
      this.discard(entry);
      throw error;
    }
    let onAbort: (() => void) | undefined;
    try {
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      const result = await Promise.race([job(worker), aborted]);
      this.release(entry);
      return result;
    } catch (error) {
      // Bad input leaves the worker as it was; a worker whose job failed otherwise or was
      // abandoned may still be busy or in a bad state.
      if (error instanceof DomainException && error.permanent && !signal?.aborted) {
        this.release(entry);
      } else {
        this.discard(entry);
      }
      throw error;
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('OCR pool closed'));
    const entries = this.entries.splice(0);
    await Promise.allSettled(entries.map((entry) => terminate(entry.worker)));
    await this.languages.remove();
  }

  private acquire(languages: string[], signal?: AbortSignal): Promise<PoolEntry> {
    if (this.closed) return Promise.reject(new Error('OCR pool closed'));
    const key = languages.join('+');
    const entry = this.take(key, languages);
    if (entry) return Promise.resolve(entry);
    return new Promise<PoolEntry>((resolve, reject) =>
      joinQueue(this.waiters, { key, languages, resolve, reject, signal }),
    );
  }

  /** A free worker for `key` if one can be had now, marked busy. */
  private take(key: string, languages: string[]): PoolEntry | null {
    const idle = this.entries.find((entry) => !entry.busy && entry.key === key);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (this.entries.length >= this.size) {
      const other = this.entries.find((entry) => !entry.busy);
      if (!other) return null;
      this.remove(other);
      void terminate(other.worker);
    }
    const created: PoolEntry = {
      key,
      worker: this.spawn(languages),
      busy: true,
    };
    // A failed start is reported to the job that asked for it; keep it from going unhandled.
    created.worker.catch(() => undefined);
    this.entries.push(created);
    return created;
  }

  private async spawn(languages: string[]): Promise<Worker> {
    const langPath = await this.languages.path(languages);
    return createWorker(
      languages,
      OEM.LSTM_ONLY,
      { langPath, cacheMethod: 'none', gzip: true },
      // Tesseract's progress chatter ("Detected N diacritics") would otherwise go to stdout.
      { debug_file: '/dev/null' } as never,
    );
  }

  private release(entry: PoolEntry): void {
    entry.busy = false;
    this.dispatch();
  }

  private discard(entry: PoolEntry): void {
    this.remove(entry);
    void terminate(entry.worker);
    this.dispatch();
  }

  private remove(entry: PoolEntry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && !this.closed) {
      const waiter = this.waiters[0];
      const entry = this.take(waiter.key, waiter.languages);
      if (!entry) return;
      this.waiters.shift();
      leaveQueue(waiter);
      waiter.resolve(entry);
    }
  }
}

async function terminate(worker: Promise<Worker>): Promise<void> {
  try {
    await (await worker).terminate();
  } catch {
    // Already gone: nothing left to free.
  }
}
