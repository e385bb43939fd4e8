import { childEnv } from '@recto/config';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface RunningApp {
  process: ChildProcess;
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const DIST = resolve(__dirname, '..', '..', '..', 'dist');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

export interface BuiltAppOptions {
  /** Where the build is (default: the repository's `dist`). */
  dist?: string;
  /** Node.js flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

/** Runs a built app (`npm run build` first) as a real process, keeping its output for diagnosis. */
export function startBuiltApp(
  app: 'api' | 'worker',
  env: Record<string, string | undefined>,
  options: BuiltAppOptions = {},
): RunningApp {
  const main = join(options.dist ?? DIST, 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    env: childEnv({ NODE_OPTIONS: undefined, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 2000) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    process: child,
    output,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      // Already gone (exited, or killed by a signal): nothing to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((res) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          res(code);
        });
        child.kill(signal);
      });
    },
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
