import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export const RESULTS_DIR = resolve(__dirname, '..', 'results');

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** 1-minute load average when the scenario started: other work on the shared machine. */
  loadAverageAtStart: number;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}

function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Writes bench/results/<scenario>.json (the latest run; small enough to commit). */
export function writeResult(scenario: string, data: Record<string, unknown>, machine: MachineInfo): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${scenario}.json`);
  const body = {
    scenario,
    finishedAt: new Date().toISOString(),
    revision: gitRevision(),
    machine: { ...machine, loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100 },
    ...data,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
