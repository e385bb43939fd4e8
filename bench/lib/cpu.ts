import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where CPU is read from: a process id, every process with this command name (and, with
 * `argsInclude`, whose command line holds that text: a Postgres backend names its database there),
 * or this process.
 */
export type CpuSource = number | { command: string; argsInclude?: string } | 'self';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User and system clock ticks (USER_HZ) of a process and its threads so far; 0 once it is gone. */
export function processTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Busy and total clock ticks of all CPUs together, from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

const processCpuMs = (pid: number) => processTicks(pid) * TICK_MS;

function commandCpuMs(command: string, argsInclude?: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== command) continue;
      if (argsInclude !== undefined && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(argsInclude)) continue;
      total += processCpuMs(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return total;
}

function readCpuMs(source: CpuSource): number {
  if (source === 'self') {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  return typeof source === 'number' ? processCpuMs(source) : commandCpuMs(source.command, source.argsInclude);
}

/**
 * CPU time spent by each named process group between `start()` and the returned `stop()`: which
 * process used the cores during a measurement, independent of how the scheduler interleaved them.
 * Postgres backends that exit in between are not counted (pools keep theirs open).
 */
export function cpuMeter(sources: Record<string, CpuSource>): { stop(): Record<string, number> } {
  const before = Object.fromEntries(Object.entries(sources).map(([name, source]) => [name, readCpuMs(source)]));
  return {
    stop: () =>
      Object.fromEntries(Object.entries(sources).map(([name, source]) => [name, readCpuMs(source) - before[name]])),
  };
}
