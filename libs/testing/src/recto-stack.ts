import { loadConfig, TestConfig } from '@recto/config';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RectoHttpClient } from './recto-http-client';
import { freePort, RunningApp, startBuiltApp, waitFor } from './service-processes';
import { createTestDatabase } from './test-database';
import { useTestMeilisearch } from './test-meilisearch';

export interface RectoStack {
  client: RectoHttpClient;
  api: RunningApp;
  worker: RunningApp;
  env: Record<string, string>;
  restartWorker(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the worker (e.g. SIGKILL) and leaves it stopped until startWorker. */
  stopWorker(signal?: NodeJS.Signals): Promise<void>;
  startWorker(): void;
  stop(): Promise<void>;
}

/**
 * The built api and worker as real processes on real Postgres, Redis and Meilisearch, each run
 * in its own database, index, queue prefix and data directory.
 */
export async function startRectoStack(label: string, extraEnv: Record<string, string> = {}): Promise<RectoStack> {
  const config = loadConfig(TestConfig);
  const db = await createTestDatabase(label);
  const meili = await useTestMeilisearch();
  const dataDir = await mkdtemp(join(tmpdir(), `recto-${label}-`));
  const suffix = randomBytes(4).toString('hex');
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: config.RECTO_TEST_REDIS_URL,
    MEILI_URL: meili.url,
    ...(meili.apiKey ? { MEILI_MASTER_KEY: meili.apiKey } : {}),
    MEILI_INDEX: `${label}_${suffix}`,
    QUEUE_PREFIX: `t_${label}_${suffix}`.replace(/-/g, '_'),
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  let worker = startBuiltApp('worker', env);
  const api = startBuiltApp('api', env);
  const client = new RectoHttpClient(`http://127.0.0.1:${port}`, extraEnv.API_KEYS?.split(':')[0]);
  try {
    await waitFor(
      'the api to be ready',
      async () => {
        if (api.process.exitCode !== null) throw new Error(`api exited:\n${api.output.join('')}`);
        const { status } = await client.get('/health/ready');
        return status === 200 ? true : undefined;
      },
      60_000,
    );
  } catch (err) {
    await Promise.all([api.stop(), worker.stop()]);
    throw err;
  }
  return {
    client,
    api,
    get worker() {
      return worker;
    },
    env,
    async restartWorker(signal: NodeJS.Signals = 'SIGTERM') {
      await worker.stop(signal);
      worker = startBuiltApp('worker', env);
    },
    async stopWorker(signal: NodeJS.Signals = 'SIGTERM') {
      await worker.stop(signal);
    },
    startWorker() {
      if (worker.process.exitCode === null && worker.process.signalCode === null) return;
      worker = startBuiltApp('worker', env);
    },
    async stop() {
      await Promise.all([api.stop(), worker.stop()]);
      await meili.stop();
      await db.drop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
