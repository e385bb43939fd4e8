import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Signals a process that may be gone already (then nothing happens). */
export function signalProcess(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/**
 * Signals the postmaster of the cluster in `dataDir` and every backend it started: SIGSTOP to the
 * postmaster alone freezes nothing, its backends go on answering.
 */
export function signalPostgres(dataDir: string, name: NodeJS.Signals): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(postmaster)])
      .toString()
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none
  }
  for (const pid of [postmaster, ...children.filter((p) => p > 0)]) signalProcess(pid, name);
}
