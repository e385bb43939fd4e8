/**
 * The `recto` command line, built, against the built api and worker with real OCR: a folder of
 * test pages is imported (and imported again, resuming), searched and counted, as a script would.
 */
import { loadTestPages, RectoStack, startRectoStack } from '@recto/testing';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const KEY = 'cli-key-0123456789';
const CLI = resolve(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const scans = loadTestPages().filter((s) => s.dataset === 'synthetic');
const montgomery = scans.find((s) => s.name === 'synthetic_invoice')!;
const others = scans.filter((s) => s !== montgomery).slice(0, 2);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let stack: RectoStack;
let dir: string;

function recto(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH, RECTO_URL: stack.client.baseUrl, RECTO_API_KEY: KEY, ...env },
        timeout: 600_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  stack = await startRectoStack('cli', { API_KEYS: `${KEY}:acme` });
  dir = await mkdtemp(join(tmpdir(), 'recto-cli-'));
  await mkdir(join(dir, 'box-2'));
  await copyFile(montgomery.imagePath, join(dir, basename(montgomery.imagePath)));
  await copyFile(others[0].imagePath, join(dir, 'box-2', basename(others[0].imagePath)));
  // Not a scan: walked past.
  await writeFile(join(dir, 'notes.json'), '{}');
});

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('recto', () => {
  it('imports a folder recursively, waits for processing, and reports as JSON', async () => {
    const run = await recto(['import', dir, '--wait', '--json', '--concurrency', '2']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({ total: 2, uploaded: 2, skipped: 0, failed: 0, processed: 2 });
    expect(report.files.map((f: { path: string }) => basename(f.path)).sort()).toEqual(
      [basename(montgomery.imagePath), basename(others[0].imagePath)].sort(),
    );
    for (const f of report.files) {
      expect(f).toMatchObject({ outcome: 'uploaded', status: 'Processed', error: null });
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('resumes: a second run sends only the new file, with a summary and per-file lines', async () => {
    await copyFile(others[1].imagePath, join(dir, basename(others[1].imagePath)));
    const run = await recto(['import', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 files in');
    expect(run.stdout).toContain('1 uploaded, 2 already on the server, 0 failed');
    // Not a terminal: one plain line per file instead of a redrawn bar.
    expect(run.stderr).toContain(`uploaded  ${join(dir, basename(others[1].imagePath))}`);
    expect(run.stderr).not.toContain('\r');
    const status = JSON.parse((await recto(['status', '--json'])).stdout);
    expect(status.documents.total).toBe(3);
  });

  it('searches and prints a table with the match in brackets', async () => {
    const run = await recto(['search', 'montgomery']);
    expect(run.code).toBe(0);
    const [header, , row] = run.stdout.split('\n');
    expect(header).toMatch(/^DOCUMENT\s+ID\s+PAGE\s+SNIPPET$/);
    expect(row).toContain(basename(montgomery.imagePath));
    expect(row).toMatch(/\s1\s+.*\[Montgomery\]/);

    const json = JSON.parse((await recto(['search', 'montgomery', '--json'])).stdout);
    expect(json.hits[0]).toMatchObject({ filename: basename(montgomery.imagePath), page: 1 });
    expect(json.hits[0].highlights[0].content).toBe('Montgomery');
  });

  it('shows counts by status', async () => {
    const run = await recto(['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^STATUS\s+DOCUMENTS$/m);
    expect(run.stdout).toMatch(/^total\s+3$/m);
  });

  it('fails clearly on a wrong key, an unreachable server and bad usage', async () => {
    const denied = await recto(['status'], { RECTO_API_KEY: 'wrong-key-0123456' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^recto: .*key/im);
    const down = await recto(['status'], { RECTO_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('recto: cannot reach http://127.0.0.1:9');
    const usage = await recto(['search']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: recto');
  });
});
