/**
 * The `redis-server` that `npm start` runs when no Redis is configured: found on the PATH, kept
 * under its data directory, restarted by the supervisor when killed, with its data back.
 */
import { childEnv } from '@recto/config';
import Redis from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer, startEmbeddedRedis } from './embedded-redis.service';
import { findFreePort } from './free-port.util';
import { superviseService } from './service-supervisor';

const lines: string[] = [];
const logger = {
  log: (m: string) => lines.push(m),
  warn: (m: string) => lines.push(m),
  error: (m: string) => lines.push(m),
};

let binary: string | null;
let dir: string;

beforeAll(async () => {
  binary = await findRedisServer(childEnv({}).PATH ?? '');
  dir = await mkdtemp(join(tmpdir(), 'recto-redis-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('says there is none when no redis-server is on the PATH', async () => {
  expect(await findRedisServer('/nonexistent')).toBeNull();
  await expect(startEmbeddedRedis({ dataDir: dir, port: 1, searchPath: '/nonexistent' })).rejects.toThrow(
    /No redis-server on the PATH: install one \(Debian\/Ubuntu: `apt-get install redis-server`/,
  );
});

it('runs a redis-server and the supervisor brings it back, data included, after a SIGKILL', async () => {
  if (!binary) {
    console.warn('redis-server is not on the PATH (apt-get install redis-server): skipped');
    return;
  }
  const port = await findFreePort();
  const gaveUp: string[] = [];
  const supervised = await superviseService({
    name: 'Redis',
    start: () => startEmbeddedRedis({ dataDir: join(dir, 'redis'), port, binaryPath: binary!, logger }),
    logger,
    maxRestarts: 2,
    backoffMs: 200,
    onGiveUp: (reason) => gaveUp.push(reason),
  });
  const client = new Redis(supervised.current().url, { maxRetriesPerRequest: null });
  try {
    await client.set('kept', 'yes');
    // The append-only file is fsynced every second.
    await new Promise((r) => setTimeout(r, 1_500));
    const first = supervised.current().pid;
    process.kill(first, 'SIGKILL');
    for (let i = 0; i < 100 && supervised.current().pid === first; i++) await new Promise((r) => setTimeout(r, 100));
    expect(supervised.current().pid).not.toBe(first);
    expect(await client.get('kept')).toBe('yes');
    expect(lines.join('\n')).toMatch(/Embedded Redis exited \(code null, signal SIGKILL\)/);
    expect(lines.join('\n')).toMatch(/Embedded Redis restarted/);
    expect(gaveUp).toEqual([]);
  } finally {
    client.disconnect();
    await supervised.stop();
  }
});
