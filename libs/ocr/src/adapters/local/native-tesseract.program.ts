import { DomainException, ErrorCode } from '@recto/common';
import { childEnv } from '@recto/config';
import { execFile, execFileSync, type ExecFileException } from 'node:child_process';

/** The oldest major version read with: LSTM models, `--oem 1`, `--psm`/`--dpi` options, stdin input. */
export const MIN_NATIVE_TESSERACT_MAJOR = 4;

export interface NativeTesseract {
  command: string;
  /** e.g. "5.3.0" */
  version: string;
  major: number;
}

export interface NativeRun {
  tessdataDir: string;
  languages: string[];
  psm: string;
  dpi: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

const found = new Map<string, NativeTesseract | null>();

/**
 * The `tesseract` program on the PATH and its version, or null when there is none (or it does not
 * answer `--version`). Asked once per process: this runs at boot, before any page.
 */
export function findNativeTesseract(command = 'tesseract'): NativeTesseract | null {
  if (found.has(command)) return found.get(command)!;
  let program: NativeTesseract | null = null;
  try {
    // Tesseract 4 prints its version on stderr, 5 on stdout: read both.
    const out = execFileSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: 'pipe' });
    program = parseVersion(command, out);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    program = parseVersion(command, `${stdout ?? ''}${stderr ?? ''}`);
  }
  found.set(command, program);
  return program;
}

function parseVersion(command: string, output: string): NativeTesseract | null {
  const match = /^tesseract v?(\d+)\.(\d+)[^\s]*/m.exec(output);
  if (!match) return null;
  return { command, version: match[0].slice('tesseract '.length).replace(/^v/, ''), major: Number(match[1]) };
}

/**
 * The options every reading is run with: the traineddata directory and languages, the LSTM engine,
 * the segmentation mode, and TSV output.
 */
export function readingOptions(tessdataDir: string, languages: string[], psm: string): string[] {
  return [
    '--tessdata-dir',
    tessdataDir,
    '--oem',
    '1',
    '--psm',
    psm,
    '-l',
    languages.join('+'),
    // What Debian's `tsv` config file sets; set directly, so no config directory is needed.
    '-c',
    'tessedit_create_tsv=1',
  ];
}

/**
 * Reads one page image (PGM, handed over on stdin: no file on disk) with the native program: one
 * process, one thread (`OMP_THREAD_LIMIT=1`, as a tesseract.js worker has one), the LSTM engine,
 * TSV on stdout. No shell is involved; the process is killed on timeout or abort.
 */
export function runNativeTesseract(program: NativeTesseract, pgm: Buffer, run: NativeRun): Promise<string> {
  run.signal?.throwIfAborted();
  const args = [
    'stdin',
    'stdout',
    ...readingOptions(run.tessdataDir, run.languages, run.psm),
    '--dpi',
    String(run.dpi),
  ];
  return new Promise((resolve, reject) => {
    const child = execFile(
      program.command,
      args,
      {
        env: childEnv({ OMP_THREAD_LIMIT: '1' }),
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        timeout: run.timeoutMs,
        killSignal: 'SIGKILL',
        signal: run.signal,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if (run.signal?.aborted) return reject(run.signal.reason);
        reject(failedRun(program, runEnd(error), stderr, run.timeoutMs, error));
      },
    );
    // The program may exit before reading all of its input (bad arguments): the exit says why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(pgm);
  });
}

/** How a run of the program ended without a reading: the facts failedRun() judges. */
export type NativeRunEnd =
  | { kind: 'timeout' }
  /** The program could not be started (a spawn error code such as ENOENT). */
  | { kind: 'unrunnable'; code: string }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null };

/**
 * What a failed run means for the job. A page that makes the program crash (a signal of its own,
 * e.g. SIGSEGV or SIGABRT) would crash it again: permanent. A missing program, a model it cannot
 * load, a timeout or a kill from outside (the OOM killer) are the machine's state: transient.
 */
export function failedRun(
  program: NativeTesseract,
  end: NativeRunEnd,
  stderr: string,
  timeoutMs: number,
  cause?: unknown,
): DomainException {
  const said = stderr.trim().split('\n').slice(-5).join(' | ');
  const name = `${program.command} ${program.version}`;
  if (end.kind === 'timeout') {
    return new DomainException(
      ErrorCode.OcrFailed,
      `OCR failed on a page: ${name} did not finish within ${timeoutMs / 1000} s.`,
      [],
      false,
      cause,
    );
  }
  if (end.kind === 'unrunnable') {
    return new DomainException(
      ErrorCode.OcrFailed,
      `OCR failed on a page: ${name} could not be run (${end.code}).`,
      [],
      false,
      cause,
    );
  }
  const crashed = end.signal === 'SIGSEGV' || end.signal === 'SIGABRT' || end.signal === 'SIGBUS';
  const how = end.signal ? `was ended by ${end.signal}` : `exited with ${String(end.code)}`;
  return new DomainException(
    ErrorCode.OcrFailed,
    `OCR failed on a page: ${name} ${how}${said ? `: ${said}` : ''}`,
    [],
    crashed,
    cause,
  );
}

function runEnd(error: ExecFileException): NativeRunEnd {
  if (error.killed && error.signal === 'SIGKILL') return { kind: 'timeout' };
  if (typeof error.code === 'string') return { kind: 'unrunnable', code: error.code };
  return { kind: 'exit', code: error.code ?? null, signal: (error.signal as NodeJS.Signals | undefined) ?? null };
}
