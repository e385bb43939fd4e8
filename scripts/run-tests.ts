/**
 * `npm test`: every layer against real services. Postgres and Redis come from the environment
 * (or the usual local ports), then from containers where a Docker engine exists; Meilisearch is
 * started embedded when MEILI_URL is unset. Prints one closing line "N passed, N failed".
 */
import { childEnv, loadConfig, TestConfig } from '@recto/config';
import { startEmbeddedMeilisearch, startEmbeddedPostgres } from '@recto/embedded-services';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

type Stop = () => Promise<void>;
const ROOT = resolve(__dirname, '..');
const env = childEnv({});
const stops: Stop[] = [];

function reachable(url: string, fallbackPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((res) => {
    const socket = connect({ host: u.hostname, port: Number(u.port || fallbackPort), timeout: 1500 });
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
    socket.once('timeout', () => (socket.destroy(), res(false)));
  });
}

const dockerAvailable = () =>
  existsSync('/var/run/docker.sock') && spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;

async function postgresUrl(): Promise<string> {
  const given = env.RECTO_TEST_DATABASE_URL ?? env.DATABASE_URL;
  if (given) return given;
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await reachable(local, 5432)) return local;
  if (dockerAvailable()) {
    const { GenericContainer } = await import('testcontainers');
    const c = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_PASSWORD: 'postgres' })
      .withExposedPorts(5432)
      .start();
    stops.push(async () => void (await c.stop()));
    return `postgres://postgres:postgres@${c.getHost()}:${c.getMappedPort(5432)}/postgres`;
  }
  const dir = mkdtempSync(join(tmpdir(), 'recto-pg-'));
  // As root the server runs as `postgres`, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), password: 'postgres' });
  stops.push(pg.stop);
  return pg.url.replace(/\/[^/]*$/, '/postgres');
}

async function redisUrl(): Promise<string> {
  const given = env.RECTO_TEST_REDIS_URL ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await reachable(given, 6379)) return given;
  if (dockerAvailable()) {
    const { GenericContainer } = await import('testcontainers');
    const c = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    stops.push(async () => void (await c.stop()));
    return `redis://${c.getHost()}:${c.getMappedPort(6379)}`;
  }
  throw new Error(`No Redis answers at ${given} and there is no Docker engine to start one.`);
}

async function meili(): Promise<{ url: string; key?: string }> {
  const url = env.RECTO_TEST_MEILI_URL ?? env.MEILI_URL;
  if (url) return { url, key: env.RECTO_TEST_MEILI_KEY ?? env.MEILI_MASTER_KEY };
  const dir = mkdtempSync(join(tmpdir(), 'recto-meili-'));
  const m = await startEmbeddedMeilisearch({ dataDir: dir, port: 0 });
  stops.push(async () => {
    await m.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: m.url, key: m.masterKey };
}

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

function run(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv): number {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return r.status ?? 1;
}

async function main(): Promise<void> {
  const passthrough = process.argv.slice(2);
  const layers = ['unit', 'int', 'e2e'].filter(
    (l) => !env.RECTO_TEST_LAYERS || env.RECTO_TEST_LAYERS.split(',').includes(l),
  );
  const [databaseUrl, redis, meilisearch] = await Promise.all([postgresUrl(), redisUrl(), meili()]);
  const testEnv: NodeJS.ProcessEnv = {
    RECTO_TEST_DATABASE_URL: databaseUrl,
    RECTO_TEST_REDIS_URL: redis,
    RECTO_TEST_MEILI_URL: meilisearch.url,
    RECTO_TEST_MEILI_KEY: meilisearch.key,
    // pdfjs-dist is ESM-only: jest loads it through the VM modules API.
    NODE_OPTIONS: [env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning']
      .filter(Boolean)
      .join(' '),
  };
  const totals = { passed: 0, failed: 0, skipped: 0 };
  /** Skipped tests by file (an optional suite's name says what it needs). */
  const skipped = new Map<string, string[]>();
  let failedLayers = 0;
  for (const layer of layers) {
    if (layer === 'e2e' && run('npm', ['run', 'build', '--silent'], {}) !== 0) {
      failedLayers++;
      continue;
    }
    const out = join(tmpdir(), `recto-jest-${layer}-${process.pid}.json`);
    const args = [
      'jest',
      '--selectProjects',
      layer,
      '--json',
      '--outputFile',
      out,
      // Jest 29 ignores per-project testTimeout: set it per layer here.
      ...(layer === 'unit'
        ? []
        : ['--runInBand', '--forceExit', `--testTimeout=${layer === 'int' ? 180_000 : 1_800_000}`]),
      ...passthrough,
    ];
    const status = run('npx', args, testEnv);
    if (existsSync(out)) {
      const summary = JSON.parse(readFileSync(out, 'utf8')) as JestSummary;
      totals.passed += summary.numPassedTests;
      totals.failed += summary.numFailedTests;
      totals.skipped += summary.numPendingTests + summary.numTodoTests;
      for (const file of summary.testResults)
        for (const test of file.assertionResults)
          if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
            const path = relative(ROOT, file.name);
            skipped.set(path, [...(skipped.get(path) ?? []), test.fullName]);
          }
      rmSync(out, { force: true });
    }
    if (status !== 0) failedLayers++;
  }
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  if (!existsSync(resolve(ROOT, loadConfig(TestConfig).RECTO_TEST_SCANS_DIR))) {
    console.log(
      `\nOptional suites skipped: the real dev scans are not at ${loadConfig(TestConfig).RECTO_TEST_SCANS_DIR} ` +
        '(set RECTO_TEST_SCANS_DIR to a folder of <name>.png + <name>.json pages to run them; the vendored test ' +
        'pages in test/fixtures/scans ran either way).',
    );
  }
  if (!existsSync(resolve(ROOT, loadConfig(TestConfig).RECTO_TEST_OCR_FILES_DIR))) {
    console.log(
      `\nOptional suites skipped: the real OCR files are not at ${loadConfig(TestConfig).RECTO_TEST_OCR_FILES_DIR} ` +
        '(set RECTO_TEST_OCR_FILES_DIR to a folder of sub-folders of ALTO/hOCR/PAGE files to run them; the vendored ' +
        'files in test/fixtures/ocr-formats ran either way).',
    );
  }
  if (skipped.size > 0) {
    const lines = [...skipped].map(([path, names]) =>
      names.length === 1 ? `  ${path}: ${names[0]}` : `  ${path}: ${names.length} tests, e.g. ${names[0]}`,
    );
    console.log(`\nSkipped:\n${lines.join('\n')}`);
  }
  console.log(`\nrecto: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exitCode = failedLayers > 0 || totals.failed > 0 ? 1 : 0;
}

main().catch(async (err: unknown) => {
  console.error(err);
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.exit(1);
});
