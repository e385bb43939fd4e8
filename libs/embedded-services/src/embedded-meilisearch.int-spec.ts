import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedMeilisearch } from './embedded-meilisearch.service';
import { isPortInUse } from './free-port.util';

// The project-level testTimeout in jest.config.js is not honoured by Jest 29.
jest.setTimeout(120_000);

describe('startEmbeddedMeilisearch', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'recto-meili-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on a free port, answers health and auth, stops, and keeps its key on restart', async () => {
    const first = await startEmbeddedMeilisearch({ dataDir, port: 0 });
    const port = Number(new URL(first.url).port);
    try {
      expect(first.masterKey.length).toBeGreaterThanOrEqual(16);
      const health = await fetch(`${first.url}/health`);
      expect(await health.json()).toEqual({ status: 'available' });
      expect((await fetch(`${first.url}/indexes`)).status).toBe(401);
      const authed = await fetch(`${first.url}/indexes`, {
        headers: { Authorization: `Bearer ${first.masterKey}` },
      });
      expect(authed.status).toBe(200);
      expect((await readFile(join(dataDir, 'master-key'), 'utf8')).trim()).toBe(first.masterKey);
      // Bounded indexing memory, not Meilisearch's two thirds of the machine.
      const args = (await readFile(`/proc/${first.pid}/cmdline`, 'utf8')).split('\0');
      expect(args[args.indexOf('--max-indexing-memory') + 1]).toBe('1GiB');
      // The key travels in the environment, never in the arguments anyone can list with ps.
      expect(args.join(' ')).not.toContain(first.masterKey);
    } finally {
      await first.stop();
    }
    expect(await isPortInUse(port)).toBe(false);
    await first.stop(); // idempotent

    const second = await startEmbeddedMeilisearch({ dataDir });
    try {
      expect(second.masterKey).toBe(first.masterKey);
    } finally {
      await second.stop();
    }
  });

  it('takes a key that starts with "-" (a generated base64url key can)', async () => {
    const masterKey = `-q${'k'.repeat(30)}`;
    const meili = await startEmbeddedMeilisearch({ dataDir, port: 0, masterKey });
    try {
      const authed = await fetch(`${meili.url}/indexes`, { headers: { Authorization: `Bearer ${masterKey}` } });
      expect(authed.status).toBe(200);
    } finally {
      await meili.stop();
    }
  });

  it('refuses a data dir still held by a previous run unless killStale is set', async () => {
    const stale = await startEmbeddedMeilisearch({ dataDir });
    try {
      await expect(startEmbeddedMeilisearch({ dataDir })).rejects.toThrow(
        new RegExp(`previous run \\(pid ${stale.pid}\\)`),
      );
      const fresh = await startEmbeddedMeilisearch({ dataDir, killStale: true });
      try {
        expect(() => process.kill(stale.pid, 0)).toThrow();
        expect((await fetch(`${fresh.url}/health`)).status).toBe(200);
      } finally {
        await fresh.stop();
      }
    } finally {
      await stale.stop();
    }
  });

  it('fails clearly when a fixed port is taken', async () => {
    const other = await startEmbeddedMeilisearch({ dataDir: join(dataDir, 'a') });
    try {
      const port = Number(new URL(other.url).port);
      await expect(startEmbeddedMeilisearch({ dataDir: join(dataDir, 'b'), port })).rejects.toThrow(/already in use/);
    } finally {
      await other.stop();
    }
  });

  it('reports the last output when the binary refuses to start', async () => {
    await expect(startEmbeddedMeilisearch({ dataDir, masterKey: 'short' })).rejects.toThrow(/at least 16 bytes/);
    const binaryPath = join(dataDir, 'broken-meilisearch');
    await writeFile(binaryPath, '#!/bin/sh\necho "Error: the database is corrupt" >&2\nexit 3\n', {
      mode: 0o755,
    });
    await expect(startEmbeddedMeilisearch({ dataDir, binaryPath })).rejects.toThrow(
      /exited during startup \(code 3[\s\S]*the database is corrupt/,
    );
  });
});
