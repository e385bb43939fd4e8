import { RectoHttpClient } from './recto-http.client';
import { freePort, RunningApp, startBuiltApp, waitFor } from './service-processes';
import { startTestServices } from './test-services';

export interface RectoStack {
  client: RectoHttpClient;
  api: RunningApp;
  worker: RunningApp;
  env: Record<string, string>;
  restartWorker(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the api and starts it again on the same port, resolving once it is ready. */
  restartApi(signal?: NodeJS.Signals): Promise<void>;
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
  const services = await startTestServices(label);
  const port = await freePort();
  const env: Record<string, string> = {
    ...services.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  let worker = startBuiltApp('worker', env);
  let api = startBuiltApp('api', env);
  const client = new RectoHttpClient(`http://127.0.0.1:${port}`, extraEnv.API_KEYS?.split(':')[0]);
  const apiReady = () =>
    waitFor(
      'the api to be ready',
      async () => {
        if (api.process.exitCode !== null) throw new Error(`api exited:\n${api.output.join('')}`);
        const { status } = await client.get('/health/ready');
        return status === 200 ? true : undefined;
      },
      60_000,
    );
  try {
    await apiReady();
  } catch (err) {
    await Promise.all([api.stop(), worker.stop()]);
    throw err;
  }
  return {
    client,
    get api() {
      return api;
    },
    get worker() {
      return worker;
    },
    env,
    async restartWorker(signal: NodeJS.Signals = 'SIGTERM') {
      await worker.stop(signal);
      worker = startBuiltApp('worker', env);
    },
    async restartApi(signal: NodeJS.Signals = 'SIGTERM') {
      await api.stop(signal);
      api = startBuiltApp('api', env);
      await apiReady();
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
      await services.stop();
    },
  };
}
