/**
 * The `recto` command line, built, against the built api and worker with real OCR: a folder of
 * test pages is imported (and imported again, resuming), searched and counted, as a script would;
 * then a folder of images with their OCR sidecars is imported without running OCR.
 */
import { loadTestPages, OCR_FIXTURES_DIR, RectoStack, startRectoStack } from '@recto/testing';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import sharp from 'sharp';

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

describe('recto import with OCR sidecars', () => {
  let ocrDir: string;
  const blankPng = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();

  beforeAll(async () => {
    ocrDir = await mkdtemp(join(tmpdir(), 'recto-cli-ocr-'));
    // The images' aspect ratios are their OCR pages' (2000 × 3000, 1200 × 1600).
    await writeFile(join(ocrDir, 'letter.png'), await blankPng(1000, 1500));
    await copyFile(join(OCR_FIXTURES_DIR, 'page-2019.xml'), join(ocrDir, 'letter.page.xml'));
    await mkdir(join(ocrDir, 'box'));
    await writeFile(join(ocrDir, 'box', 'chips.png'), await blankPng(1200, 1600));
    await copyFile(join(OCR_FIXTURES_DIR, 'hocr-tag-soup.html'), join(ocrDir, 'box', 'chips.hocr.html'));
    // Two candidates for one image: refused, not guessed.
    await writeFile(join(ocrDir, 'both.png'), await blankPng(1000, 1500));
    await copyFile(join(OCR_FIXTURES_DIR, 'page-2019.xml'), join(ocrDir, 'both.xml'));
    await copyFile(join(OCR_FIXTURES_DIR, 'hocr-tag-soup.html'), join(ocrDir, 'both.hocr'));
    // No image of that name: reported, not sent.
    await writeFile(join(ocrDir, 'mets.xml'), '<mets/>');
  });

  afterAll(async () => {
    if (ocrDir) await rm(ocrDir, { recursive: true, force: true });
  });

  it('sends each image with its sidecar and an OCR file named alone as an OCR-only document, per file', async () => {
    const alone = join(OCR_FIXTURES_DIR, 'alto-v4-prefixed.xml');
    const run = await recto(['import', ocrDir, alone, '--wait', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({
      total: 4,
      uploaded: 3,
      failed: 1,
      with_ocr: 3,
      unpaired_ocr: 1,
      processed: 3,
    });
    expect(report.unpaired_ocr).toEqual([join(ocrDir, 'mets.xml')]);
    const byName = Object.fromEntries(report.files.map((f: { path: string }) => [basename(f.path), f]));
    expect(byName['letter.png']).toMatchObject({
      ocr: join(ocrDir, 'letter.page.xml'),
      outcome: 'uploaded',
      status: 'Processed',
    });
    expect(byName['chips.png']).toMatchObject({ ocr: join(ocrDir, 'box', 'chips.hocr.html'), status: 'Processed' });
    expect(byName['alto-v4-prefixed.xml']).toMatchObject({ ocr: alone, status: 'Processed' });
    expect(byName['both.png']).toMatchObject({ outcome: 'failed', document_id: null });
    expect(byName['both.png'].error).toMatch(/several OCR files could be its sidecar \(both.hocr, both.xml\)/);

    // Imported, not recognised: the words are the file's, on the image's page.
    const doc = await stack.client.get<{ document: { ocr_provider: string; page_count: number } }>(
      `/v1/documents/${byName['letter.png'].document_id}`,
    );
    expect(doc.body.document).toMatchObject({ ocr_provider: 'import', page_count: 1 });
    const search = JSON.parse((await recto(['search', 'Leipzig', '--json'])).stdout);
    expect(search.hits[0]).toMatchObject({ filename: 'letter.png', page: 1 });
    expect(search.hits[0].highlights[0].content).toBe('Leipzig');
  });

  it('resumes with sidecars too: nothing is sent again, and plain lines name both files', async () => {
    const run = await recto(['import', ocrDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('0 uploaded, 2 already on the server, 1 failed');
    expect(run.stdout).toContain('OCR files without an image, not sent (--ocr-only sends them): 1');
    expect(run.stderr).toContain(`skipped   ${join(ocrDir, 'letter.png')} + letter.page.xml`);
    expect(run.stderr).toContain(`failed    ${join(ocrDir, 'both.png')}: several OCR files`);
  });
});
