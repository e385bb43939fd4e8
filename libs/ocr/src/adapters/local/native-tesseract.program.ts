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
 * Reads one page image (PGM, handed over on stdin: no file on disk) with the native program: one
 * process, one thread (`OMP_THREAD_LIMIT=1`, as a tesseract.js worker has one), the LSTM engine,
 * TSV on stdout. No shell is involved; the process is killed on timeout or abort.
 */
export function runNativeTesseract(program: NativeTesseract, pgm: Buffer, run: NativeRun): Promise<string> {
  run.signal?.throwIfAborted();
  const args = [
    'stdin',
    'stdout',
    '--tessdata-dir',
    run.tessdataDir,
    '--oem',
    '1',
    '--psm',
    run.psm,
    '--dpi',
    String(run.dpi),
    '-l',
    run.languages.join('+'),
    // What Debian's `tsv` config file sets; set directly, so no config directory is needed.
    '-c',
    'tessedit_create_tsv=1',
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
        reject(failure(program, error, stderr, run.timeoutMs));
      },
    );
    // The program may exit before reading all of its input (bad arguments): the exit says why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(pgm);
  });
}

/**
 * What a failed run means for the job. A page that makes the program crash (a signal of its own,
 * e.g. SIGSEGV or SIGABRT) would crash it again: permanent. A missing program, a model it cannot
 * load, a timeout or a kill from outside (the OOM killer) are the machine's state: transient.
 */
function failure(
  program: NativeTesseract,
  error: ExecFileException,
  stderr: string,
  timeoutMs: number,
): DomainException {
  const said = stderr.trim().split('\n').slice(-5).join(' | ');
  const name = `${program.command} ${program.version}`;
  if (error.killed && error.signal === 'SIGKILL') {
    return new DomainException(
      ErrorCode.OcrFailed,
      `OCR failed on a page: ${name} did not finish within ${timeoutMs / 1000} s.`,
      [],
      false,
      error,
    );
  }
  if (typeof error.code === 'string') {
    return new DomainException(
      ErrorCode.OcrFailed,
      `OCR failed on a page: ${name} could not be run (${error.code}).`,
      [],
      false,
      error,
    );
  }
  const crashed = error.signal === 'SIGSEGV' || error.signal === 'SIGABRT' || error.signal === 'SIGBUS';
  const how = error.signal ? `was ended by ${error.signal}` : `exited with ${String(error.code)}`;
  return new DomainException(
    ErrorCode.OcrFailed,
    `OCR failed on a page: ${name} ${how}${said ? `: ${said}` : ''}`,
    [],
    crashed,
    error,
  );
}
