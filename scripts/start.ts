/**
 * `npm start`: the whole service on one machine. Embeds Postgres and Meilisearch where
 * DATABASE_URL / MEILI_URL are unset, applies migrations, then runs the api and the worker as
 * child processes and stops everything together.
 */
import 'reflect-metadata';
import { childEnv, ConfigValidationError, LauncherConfig, loadConfig } from '@recto/config';
import { runMigrations } from '@recto/database';
import { assertRedisReachable } from '@recto/queue';
import { startEmbeddedMeilisearch, startEmbeddedPostgres } from '@recto/runtime';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

type Stoppable = { stop(): Promise<void> };

const log = (msg: string) => console.log(JSON.stringify({ level: 30, time: Date.now(), name: 'recto', msg }));

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

  try {
    await assertRedisReachable(config.REDIS_URL);
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: Number(config.EMBEDDED_POSTGRES_PORT),
        password: await secretIn(join(dataDir, 'postgres-password')),
        database: 'recto',
        logger: { log, warn: log, error: log },
      });
      embedded.push(pg);
      databaseUrl = pg.url;
      log(`Embedded Postgres on port ${pg.port} (DATABASE_URL unset)`);
    }
    let meiliUrl = config.MEILI_URL;
    let meiliKey = config.MEILI_MASTER_KEY;
    // With MEILI_URLS the apps use those nodes (the environment passes them on); nothing is embedded.
    if (!meiliUrl && !config.MEILI_URLS?.length) {
      const meili = await startEmbeddedMeilisearch({
        dataDir: join(dataDir, 'meilisearch'),
        port: Number(config.EMBEDDED_MEILI_PORT),
        maxIndexingMemory: config.EMBEDDED_MEILI_MAX_INDEXING_MEMORY,
        env: 'production',
        killStale: true,
        logger: { log, warn: log, error: log },
      });
      embedded.push(meili);
      meiliUrl = meili.url;
      meiliKey = meili.masterKey;
      log(`Embedded Meilisearch at ${meili.url} (MEILI_URL unset)`);
    }
    const applied = await runMigrations(databaseUrl);
    log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');

    const env = childEnv({
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

/** Runs until a signal or until one child dies; then stops the other and resolves. */
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

main().catch((err: unknown) => {
  console.error(err instanceof ConfigValidationError ? err.message : err);
  process.exit(1);
});
