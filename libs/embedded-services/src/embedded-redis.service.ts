import { ChildProcess, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { ServiceLogger } from './service-logger.interface';

export interface EmbeddedRedisOptions {
  /** Holds the append-only file and the RDB snapshot. */
  dataDir: string;
  port: number;
  host?: string;
  /** Default: `redis-server` from the PATH. */
  binaryPath?: string;
  /** The PATH to search (default: this process's). */
  searchPath?: string;
  logger?: ServiceLogger;
  startupTimeoutMs?: number;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** What to tell someone who has no Redis, in one line. */
export const REDIS_INSTALL_HINT =
  'install one (Debian/Ubuntu: `apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_URL';

/** The first executable `redis-server` on the PATH, or null. */
export async function findRedisServer(searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * A `redis-server` (Debian's, or any on the PATH) on loopback, persisting under `dataDir`
 * (append-only file, fsync every second), for `npm start` where no Redis was configured.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir);
  const binary = options.binaryPath ?? (await findRedisServer(options.searchPath ?? ''));
  if (!binary) throw new Error(`No redis-server on the PATH: ${REDIS_INSTALL_HINT}.`);
  await mkdir(dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      '--bind', host, '--port', String(options.port), '--dir', dataDir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '',
      '--protected-mode', 'yes', '--daemonize', 'no',
      // BullMQ loses jobs if Redis evicts keys.
      '--maxmemory-policy', 'noeviction',
    ],
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] },
  ); // prettier-ignore
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 20) lines.shift();
      if (/# (WARNING|Failed|Can't)/i.test(line)) options.logger?.warn(`redis: ${line}`);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const deadline = Date.now() + (options.startupTimeoutMs ?? 15_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      process.off('exit', killOnExit);
      throw new Error(`redis-server exited during startup. Last output:\n${lines.join('\n')}`);
    }
    if (await answersPing(host, options.port)) break;
    if (Date.now() > deadline) {
      process.off('exit', killOnExit);
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on ${host}:${options.port}. Last output:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  options.logger?.log(`Embedded Redis (pid ${child.pid}) listening on ${host}:${options.port}`);

  let stopping: Promise<void> | undefined;
  return {
    url: `redis://${host}:${options.port}`,
    port: options.port,
    pid: child.pid!,
    exited,
    stop: () =>
      (stopping ??= (async () => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        // SIGTERM: redis-server flushes the append-only file and exits.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      done(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}
