/**
 * `npm start` (the built launcher) keeps its embedded services alive: an embedded Meilisearch or
 * Postgres killed with SIGKILL (as the OOM killer does) is restarted with a log line and the API is
 * ready again; one that keeps dying is given up on, and the launcher exits non-zero. The services
 * killed are the ones this launcher started under its own DATA_DIR.
 */
import { childEnv, loadConfig, TestConfig } from '@recto/config';
import { freePort, RectoHttpClient, waitFor } from '@recto/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(600_000);

const START = resolve(__dirname, '..', 'dist', 'scripts', 'start.js');
let dataDir: string;
let launcher: ChildProcess;
let output = '';
let client: RectoHttpClient;
let exited: Promise<number | null>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'recto-supervision-'));
  // As root, the embedded Postgres runs as `postgres`, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  launcher = spawn(process.execPath, [START], {
    env: childEnv({
      NODE_OPTIONS: undefined,
      DATABASE_URL: undefined,
      MEILI_URL: undefined,
      MEILI_MASTER_KEY: undefined,
      QUEUE_PREFIX: undefined,
      REDIS_URL: loadConfig(TestConfig).RECTO_TEST_REDIS_URL,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      EMBEDDED_MEILI_PORT: String(await freePort()),
      EMBEDDED_RESTART_ATTEMPTS: '3',
      OCR_CONCURRENCY: '1',
      THROTTLE_LIMIT: '0',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  launcher.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  exited = new Promise((done) => launcher.once('exit', (code) => done(code)));
  client = new RectoHttpClient(`http://127.0.0.1:${port}`);
  await ready('the launcher to start everything');
});

afterAll(async () => {
  if (launcher?.exitCode === null && launcher.signalCode === null) {
    launcher.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function ready(what: string): Promise<void> {
  await waitFor(
    what,
    async () => {
      if (launcher.exitCode !== null) throw new Error(`launcher exited:\n${output.slice(-4000)}`);
      const { status } = await client.get('/health/ready');
      return status === 200 ? true : undefined;
    },
    240_000,
    500,
  );
}

const count = (text: string) => output.split(text).length - 1;
const pidIn = async (file: string) => Number((await readFile(join(dataDir, file), 'utf8')).split('\n')[0]);

it('restarts a killed embedded Meilisearch, logging it', async () => {
  const pid = await pidIn('meilisearch/meilisearch.pid');
  process.kill(pid, 'SIGKILL');
  await waitFor('the restart', async () => (count('Embedded Meilisearch restarted') >= 1 ? true : undefined), 60_000);
  expect(output).toMatch(/Embedded Meilisearch exited \(code null, signal SIGKILL\)/);
  expect(output).toMatch(/Restarting embedded Meilisearch in [\d.]+ s \(restart 1 of at most 3\)/);
  await ready('the API to be ready again');
  expect(await pidIn('meilisearch/meilisearch.pid')).not.toBe(pid);
});

it('restarts a killed embedded Postgres, logging it', async () => {
  const pid = await pidIn('postgres/postmaster.pid');
  process.kill(pid, 'SIGKILL');
  await waitFor('the restart', async () => (count('Embedded Postgres restarted') >= 1 ? true : undefined), 120_000);
  expect(output).toMatch(/Embedded Postgres exited \(code null, signal SIGKILL\)/);
  await ready('the API to be ready again');
  // Pooled connections to the killed server fail once each (503, Retry-After) before fresh ones are made.
  await waitFor(
    'documents to be listed',
    async () => ((await client.get('/v1/documents')).status === 200 ? true : undefined),
    30_000,
  );
});

it('gives up on a service that keeps dying and exits non-zero', async () => {
  for (let kills = 0; kills < 10 && launcher.exitCode === null; kills++) {
    const restarted = count('Embedded Meilisearch restarted');
    process.kill(await pidIn('meilisearch/meilisearch.pid'), 'SIGKILL');
    await waitFor(
      'a restart or the end',
      async () =>
        count('Embedded Meilisearch restarted') > restarted || output.includes('giving up') ? true : undefined,
      60_000,
    );
    if (output.includes('giving up')) break;
  }
  expect(await exited).not.toBe(0);
  expect(output).toMatch(/Embedded Meilisearch could not be kept running: 3 restarts in a row/);
});
