/**
 * `npm start`: the whole service on one machine. Embeds Postgres and Meilisearch where
 * DATABASE_URL / MEILI_URL are unset (and Redis, from a `redis-server` on the PATH, where
 * REDIS_URL is unset and nothing answers at the default address), restarts an embedded service
 * that dies, applies migrations, then runs the api and the worker as child processes and stops
 * everything together.
 */
import 'reflect-metadata';
import { childEnv, ConfigValidationError, isSetInEnvironment, LauncherConfig, loadConfig } from '@recto/config';
import { runMigrations, sessionDatabaseUrl } from '@recto/database';
import { assertRedisReachable } from '@recto/queue';
import {
  findRedisServer,
  REDIS_INSTALL_HINT,
  ServiceLogger,
  startEmbeddedMeilisearch,
  startEmbeddedPostgres,
  startEmbeddedRedis,
  SupervisableService,
  superviseService,
} from '@recto/embedded-services';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

type Stoppable = { stop(): Promise<void> };

const line = (level: number, label: string) => (msg: string) =>
  process.stdout.isTTY
    ? console.log(`[${new Date().toISOString().slice(11, 23)}] ${label} (recto): ${msg}`)
    : console.log(JSON.stringify({ level, time: Date.now(), name: 'recto', msg }));
const log = line(30, 'INFO');
const logger: ServiceLogger = { log, warn: line(40, 'WARN'), error: line(50, 'ERROR') };

/** Called when an embedded service cannot be kept running: everything stops, exit code 1. */
let gaveUpEarly = false;
let giveUp: (reason: string) => void = () => {
  gaveUpEarly = true;
};

async function secretIn(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(24).toString('hex');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

async function main(): Promise<void> {
  const config = loadConfig(LauncherConfig);
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const embedded: Stoppable[] = [];
  const stopEmbedded = async () => {
    for (const service of embedded.reverse()) await service.stop().catch(() => undefined);
  };

  const supervised = <T extends SupervisableService>(name: string, start: () => Promise<T>) =>
    superviseService({
      name,
      start,
      logger,
      maxRestarts: config.EMBEDDED_RESTART_ATTEMPTS,
      onGiveUp: (reason) => giveUp(reason),
    });

  try {
    const redisUrl = await redisUrlFor(config, dataDir, supervised, embedded);
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const password = await secretIn(join(dataDir, 'postgres-password'));
      let port = Number(config.EMBEDDED_POSTGRES_PORT);
      const pg = await supervised('Postgres', async () => {
        const started = await startEmbeddedPostgres({
          dataDir: join(dataDir, 'postgres'),
          port,
          password,
          database: 'recto',
          logger,
        });
        // A restart comes back where the api and worker were told to look.
        port = started.port;
        return started;
      });
      embedded.push(pg);
      databaseUrl = pg.current().url;
      log(`Embedded Postgres on port ${pg.current().port} (DATABASE_URL unset)`);
    }
    let meiliUrl = config.MEILI_URL;
    let meiliKey = config.MEILI_MASTER_KEY;
    // With MEILI_URLS the apps use those nodes (the environment passes them on); nothing is embedded.
    if (!meiliUrl && !config.MEILI_URLS?.length) {
      let port = Number(config.EMBEDDED_MEILI_PORT);
      const meili = await supervised('Meilisearch', async () => {
        const started = await startEmbeddedMeilisearch({
          dataDir: join(dataDir, 'meilisearch'),
          port,
          maxIndexingMemory: config.EMBEDDED_MEILI_MAX_INDEXING_MEMORY,
          env: 'production',
          killStale: true,
          logger,
        });
        port = started.port;
        return started;
      });
      embedded.push(meili);
      meiliUrl = meili.current().url;
      meiliKey = meili.current().masterKey;
      log(`Embedded Meilisearch at ${meiliUrl} (MEILI_URL unset)`);
    }
    const applied = await runMigrations(sessionDatabaseUrl({ ...config, DATABASE_URL: databaseUrl }) as string);
    log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');

    const env = childEnv({
      REDIS_URL: redisUrl,
      DATABASE_URL: databaseUrl,
      MEILI_URL: meiliUrl,
      MEILI_MASTER_KEY: meiliKey,
      DATA_DIR: dataDir,
    });
    const children = ['api', 'worker'].map((app) =>
      spawn(process.execPath, [join(__dirname, '..', 'apps', app, 'src', 'main.js')], { env, stdio: 'inherit' }),
    );
    await superviseUntilExit(children);
  } finally {
    await stopEmbedded();
  }
}

/**
 * Redis: REDIS_URL when set (it must answer); unset, the default address if something answers
 * there, else a supervised `redis-server` from the PATH under DATA_DIR/redis.
 */
async function redisUrlFor(
  config: LauncherConfig,
  dataDir: string,
  supervised: <T extends SupervisableService>(
    name: string,
    start: () => Promise<T>,
  ) => Promise<{ current(): T; stop(): Promise<void> }>,
  embedded: Stoppable[],
): Promise<string> {
  if (isSetInEnvironment('REDIS_URL')) {
    await assertRedisReachable(config.REDIS_URL);
    return config.REDIS_URL;
  }
  try {
    await assertRedisReachable(config.REDIS_URL, 1_000);
    return config.REDIS_URL;
  } catch {
    // Nothing at the default address: run one ourselves if we can.
  }
  const binary = await findRedisServer(childEnv({}).PATH ?? '');
  if (!binary) {
    throw new Error(
      `No Redis answers at ${config.REDIS_URL} and there is no redis-server on the PATH: ${REDIS_INSTALL_HINT}.`,
    );
  }
  const port = Number(config.EMBEDDED_REDIS_PORT);
  const redis = await supervised('Redis', () =>
    startEmbeddedRedis({ dataDir: join(dataDir, 'redis'), port, binaryPath: binary, logger }),
  );
  embedded.push(redis);
  log(`Embedded Redis (${binary}) on port ${port} (REDIS_URL unset, nothing at ${config.REDIS_URL})`);
  return redis.current().url;
}

/** Runs until a signal, until one child dies or until an embedded service is given up on; then stops the rest. */
function superviseUntilExit(children: ChildProcess[]): Promise<void> {
  return new Promise((resolvePromise) => {
    let stopping = false;
    let exitCode = 0;
    let alive = children.length;
    const stopAll = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      for (const child of children) if (child.exitCode === null) child.kill(signal);
    };
    giveUp = () => {
      exitCode = 1;
      stopAll('SIGTERM');
    };
    if (gaveUpEarly) giveUp('');
    for (const child of children) {
      child.on('exit', (code) => {
        alive--;
        if (!stopping && code !== 0) exitCode = code ?? 1;
        stopAll('SIGTERM');
        if (alive === 0) {
          process.exitCode = exitCode;
          resolvePromise();
        }
      });
    }
    process.on('SIGINT', () => stopAll('SIGTERM'));
    process.on('SIGTERM', () => stopAll('SIGTERM'));
  });
}

main().then(
  // Explicitly: embedded-postgres's exit hook (async-exit-hook) ends the process with 0 on
  // beforeExit, which would hide a give-up's exit code.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err instanceof ConfigValidationError ? err.message : err);
    process.exit(1);
  },
);
