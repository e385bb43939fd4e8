import { freePort, startBuiltApp, waitFor } from '@recto/testing';
import { ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * The built apps the benchmarks run. Not ./dist: `npm run build` starts with `rm -rf dist`, and
 * other people's e2e runs use it, so the benchmarks build their own copy once (BENCH_DIST, or
 * --rebuild to refresh it after code changes).
 */
export function benchDist(rebuild = false): string {
  const dist = resolve(process.env.BENCH_DIST ?? '/tmp/recto-bench-dist');
  const main = join(dist, 'apps', 'api', 'src', 'main.js');
  if (rebuild || !existsSync(main)) {
    console.log(`building the apps into ${dist} …`);
    const run = (args: string[]) => execFileSync('npx', args, { cwd: ROOT, stdio: 'inherit' });
    run(['tsc', '-p', 'tsconfig.build.json', '--outDir', dist]);
    run(['tsc-alias', '-p', 'tsconfig.build.json', '--outDir', dist]);
  }
  // Outside the repository the built files would not find node_modules.
  const modules = join(dist, 'node_modules');
  if (!existsSync(modules)) symlinkSync(join(ROOT, 'node_modules'), modules);
  return dist;
}

export interface BenchApp {
  process: ChildProcess;
  output: string[];
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  stop(): Promise<void>;
}

export function startApp(
  dist: string,
  app: 'api' | 'worker',
  env: Record<string, string>,
  nodeArgs: string[] = [],
): BenchApp {
  const running = startBuiltApp(app, env, { dist, nodeArgs });
  return {
    process: running.process,
    output: running.output,
    rss: () => rssOf(running.process.pid),
    stop: async () => {
      await running.stop();
    },
  };
}

export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts the API and waits for /health/ready; returns it with its base URL. */
export async function startApi(
  dist: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ app: BenchApp; baseUrl: string; env: Record<string, string> }> {
  const port = await freePort();
  const fullEnv = { HOST: '127.0.0.1', PORT: String(port), THROTTLE_LIMIT: '0', ...env };
  const app = startApp(dist, 'api', fullEnv, nodeArgs);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'the api to be ready',
      async () => {
        if (app.process.exitCode !== null) throw new Error(`api exited:\n${app.output.join('')}`);
        const res = await fetch(`${baseUrl}/health/ready`).catch(() => null);
        return res?.status === 200 ? true : undefined;
      },
      // A niced API on a shared, loaded machine can take minutes to boot.
      300_000,
    );
  } catch (error) {
    await app.stop();
    throw error;
  }
  return { app, baseUrl, env: fullEnv };
}
