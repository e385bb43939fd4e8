import { childEnv } from '@recto/config';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { failedRun, readingOptions, type NativeRunEnd, type NativeTesseract } from './native-tesseract.program';

export interface NativeProcessSettings {
  tessdataDir: string;
  languages: string[];
  psm: string;
  /** A tiny blank page file, read after each page: its first row says the page before is complete. */
  sentinelPath: string;
}

interface PendingPage {
  /** TSV page_num of the page and of the sentinel after it (1-based, counting every file sent). */
  page: number;
  sentinel: number;
  rows: string[];
  timeoutMs: number;
  resolve: (tsv: string) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

// Lines of its own progress the program writes on stderr for every page: not worth reporting.
const PROGRESS = /^Page \d+ : /;
const STDERR_LINES_KEPT = 5;

/**
 * One long-lived `tesseract` process for one language set and segmentation mode, reading page
 * files whose names it is fed on stdin (`-c stream_filelist=1`): the model is loaded once, not
 * once per page. Each page file carries its own resolution (a TIFF, see gray-tiff.ts), so pages of
 * any resolution share the process. The program prints a page's TSV rows when the page is done,
 * with no end marker, so every page is followed by a blank sentinel page: its first row closes the
 * page before it. One page at a time; a timeout, an abort or a crash kills the process (the
 * caller starts another).
 */
export class NativeTesseractProcess {
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private sent = 0;
  private pending: PendingPage | null = null;
  private partial = '';
  private stderrTail: string[] = [];
  private ended: NativeRunEnd | null = null;
  /** Why the process was killed from here, if it was: what its pending page is rejected with. */
  private killedWith: unknown = null;
  private overran = false;

  constructor(
    private readonly program: NativeTesseract,
    private readonly settings: NativeProcessSettings,
  ) {
    const { tessdataDir, languages, psm } = settings;
    this.child = spawn(
      program.command,
      ['-', 'stdout', ...readingOptions(tessdataDir, languages, psm), '-c', 'stream_filelist=1'],
      {
        env: childEnv({ OMP_THREAD_LIMIT: '1' }),
        stdio: 'pipe',
      },
    );
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: string) => this.onStderr(chunk));
    // Writing to a process that has just died fails with EPIPE; its exit says why.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        // A spawn failure emits no exit.
        if (this.child.pid === undefined) this.finish({ kind: 'unrunnable', code: error.code ?? 'error' }, resolve);
      });
      this.child.once('exit', (code, signal) => this.finish({ kind: 'exit', code, signal }, resolve));
    });
    this.idle();
  }

  /** The process id (undefined if it could not be started). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether a page overran its timeout (and the process was killed for it). */
  get timedOut(): boolean {
    return this.overran;
  }

  get alive(): boolean {
    return this.ended === null && this.killedWith === null;
  }

  /** The TSV of one page file (its rows only, no header); rejects as runNativeTesseract does. */
  read(pagePath: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    if (this.pending) return Promise.reject(new Error('a native tesseract process reads one page at a time'));
    if (!this.alive) return Promise.reject(this.endError(timeoutMs));
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => this.kill(signal?.reason);
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(pending.timer);
        this.pending = null;
        if (this.alive) this.idle();
      };
      const pending: PendingPage = {
        page: ++this.sent,
        sentinel: ++this.sent,
        rows: [],
        timeoutMs,
        resolve: (tsv) => {
          settle();
          resolve(tsv);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        timer: setTimeout(() => {
          this.overran = true;
          void this.kill(failedRun(this.program, { kind: 'timeout' }, '', timeoutMs));
        }, timeoutMs),
      };
      this.pending = pending;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.busy();
      this.child.stdin.write(`${pagePath}\n${this.settings.sentinelPath}\n`);
    });
  }

  /** Ends the process; a page being read is rejected with `reason`. */
  kill(reason: unknown = new Error('OCR engine closed')): Promise<void> {
    if (this.alive) {
      this.killedWith = reason;
      // Held until it has exited, so that whoever awaits this is not left behind by Node.
      this.busy();
      this.child.kill('SIGKILL');
    }
    this.pending?.reject(reason);
    return this.exited;
  }

  private onStdout(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      const pending = this.pending;
      if (!pending) continue;
      // Every row carries its page_num in the second column (the header once at the start does not).
      const tab = line.indexOf('\t');
      const page = Number(line.slice(tab + 1, line.indexOf('\t', tab + 1)));
      if (page === pending.page) pending.rows.push(line);
      else if (page === pending.sentinel) pending.resolve(pending.rows.join('\n'));
    }
  }

  private onStderr(chunk: string): void {
    const lines = chunk.split('\n').filter((line) => line.trim() !== '' && !PROGRESS.test(line));
    this.stderrTail = [...this.stderrTail, ...lines].slice(-STDERR_LINES_KEPT);
  }

  private finish(end: NativeRunEnd, resolve: () => void): void {
    if (this.ended) return;
    this.ended = end;
    if (this.pending) this.pending.reject(this.endError(this.pending.timeoutMs));
    resolve();
  }

  private endError(timeoutMs: number): unknown {
    if (this.killedWith !== null) return this.killedWith;
    return failedRun(
      this.program,
      this.ended ?? { kind: 'exit', code: null, signal: null },
      this.stderrTail.join('\n'),
      timeoutMs,
    );
  }

  /** A process waiting for its next page does not keep Node running. */
  private idle(): void {
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
      (stream as unknown as { unref?: () => void }).unref?.();
  }

  private busy(): void {
    this.child.ref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
      (stream as unknown as { ref?: () => void }).ref?.();
  }
}
