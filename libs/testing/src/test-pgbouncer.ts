import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, waitFor } from './service-processes';

/** Debian's `apt-get install pgbouncer` puts it in /usr/sbin. */
export const PGBOUNCER_BIN = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));

export interface PgBouncerOptions {
  /** Any database URL of the Postgres to pool: every database on that server is reachable through it. */
  serverUrl: string;
  poolMode?: 'transaction' | 'session';
  /** Server connections per database and user: small, so that clients really share them. */
  poolSize: number;
  /**
   * For 1.21+, which tracks protocol-level prepared statements per client when this is above 0;
   * default 0, so that it behaves as the versions before (Debian's 1.18) do.
   */
  maxPreparedStatements?: number;
}

export interface RunningPgBouncer {
  port: number;
  /** First line of `pgbouncer --version`, e.g. `PgBouncer 1.18.0`. */
  version: string;
  /** `databaseUrl` (on the pooled server) reached through PgBouncer instead. */
  urlOf(databaseUrl: string): string;
  /** Connections PgBouncer holds for `database` now: from its clients, and to Postgres. */
  connections(database: string): Promise<{ clients: number; servers: number }>;
  stop(): Promise<void>;
}

/** Whether this PgBouncer tracks protocol-level prepared statements (`max_prepared_statements`, 1.21+). */
export function tracksPreparedStatements(version: string): boolean {
  const [major = 0, minor = 0] = (version.match(/(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
  return major > 1 || (major === 1 && minor >= 21);
}

/**
 * A PgBouncer of its own in front of a Postgres, for tests and benchmarks (its log is kept and
 * shown if it does not come up). It refuses to run as root: as root it runs as `postgres`.
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<RunningPgBouncer> {
  if (!PGBOUNCER_BIN) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const version = execFileSync(PGBOUNCER_BIN, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const server = new URL(options.serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const password = decodeURIComponent(server.password);
  const dir = await mkdtemp(join(tmpdir(), 'recto-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const log = join(dir, 'pgbouncer.log');
  const asRoot = process.getuid?.() === 0;
  await writeFile(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}${password ? ` password=${password}` : ''}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `admin_users = ${user}`,
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize}`,
      'max_client_conn = 500',
      // Older versions refuse the key.
      ...(tracksPreparedStatements(version) ? [`max_prepared_statements = ${options.maxPreparedStatements ?? 0}`] : []),
      `logfile = ${log}`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'userlist.txt'), `"${user}" ""\n`);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const [bin, args] = asRoot ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER_BIN, ini]] : [PGBOUNCER_BIN, [ini]];
  // Its own process group: stopping it stops runuser's child too.
  const child = spawn(bin, args, { stdio: 'ignore', detached: true });
  const urlOf = (databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return url.toString();
  };
  const stop = async () => {
    await stopGroup(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `pgbouncer on ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}`);
        const admin = new URL(options.serverUrl);
        admin.pathname = '/postgres';
        const client = new Client({ connectionString: urlOf(admin.toString()) });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      20_000,
      100,
    );
  } catch (err) {
    const output = await readFile(log, 'utf8').catch(() => '');
    await stop();
    throw new Error(`${(err as Error).message}\n${output.slice(-2000)}`);
  }
  const connections = async (database: string) => {
    const admin = new URL(options.serverUrl);
    admin.pathname = '/pgbouncer';
    const client = new Client({ connectionString: urlOf(admin.toString()) });
    await client.connect();
    try {
      // The admin console speaks the simple protocol only: no parameters.
      const count = async (what: 'CLIENTS' | 'SERVERS') =>
        (await client.query<{ database: string }>(`SHOW ${what}`)).rows.filter((r) => r.database === database).length;
      return { clients: await count('CLIENTS'), servers: await count('SERVERS') };
    } finally {
      await client.end();
    }
  };
  return { port, version, urlOf, connections, stop };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  const pid = child.pid;
  return new Promise((res) => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      res();
    });
    // SIGTERM: PgBouncer's immediate shutdown (clients are the caller's, already done).
    kill('SIGTERM');
  });
}

/** A suite that needs PgBouncer: skipped without it, saying so in its name (npm test lists it). */
export function describeWithPgBouncer(name: string, body: () => void): void {
  if (PGBOUNCER_BIN) describe(name, body);
  else describe.skip(`${name} [needs pgbouncer: apt-get install pgbouncer]`, body);
}
