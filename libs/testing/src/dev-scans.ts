import { loadConfig, TestConfig } from '@recto/config';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface GroundTruthWord {
  text: string;
  /** Pixels, origin top-left: [x0, y0, x1, y1]. */
  bbox: [number, number, number, number];
}

export interface DevScan {
  name: string;
  imagePath: string;
  width: number;
  height: number;
  dataset: string;
  language: string;
  granularity: 'word' | 'line';
  words: GroundTruthWord[];
  lines: GroundTruthWord[];
}

/**
 * The pages every suite can use: synthetic English pages with exact word boxes
 * (scripts/make-test-pages.ts) and two CC BY-SA German book pages from OCR-D, vendored under
 * test/fixtures/scans with their attribution.
 */
export const TEST_PAGES_DIR = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'scans');

/**
 * The optional, larger set of real scans with ground truth (`RECTO_TEST_SCANS_DIR`; by default
 * `../shared/data/scans-dev` beside the repository). Suites that need it skip without it.
 */
export function devScansDir(): string {
  return resolve(loadConfig(TestConfig).RECTO_TEST_SCANS_DIR);
}

export function devScansAvailable(): boolean {
  return existsSync(devScansDir());
}

/** The vendored test pages. */
export function loadTestPages(): DevScan[] {
  return loadScans(TEST_PAGES_DIR);
}

/** One vendored test page by name. */
export function testPage(name: string): DevScan {
  const page = loadTestPages().find((p) => p.name === name);
  if (!page) throw new Error(`No test page ${name} in ${TEST_PAGES_DIR}`);
  return page;
}

/** The real dev scans; empty when the optional set is absent. */
export function loadDevScans(dir = devScansDir()): DevScan[] {
  return existsSync(dir) ? loadScans(dir) : [];
}

/** The test pages, then the dev scans that are not among them (none without the optional set). */
export function loadAllScans(): DevScan[] {
  const pages = loadTestPages();
  const names = new Set(pages.map((p) => p.name));
  return [...pages, ...loadDevScans().filter((s) => !names.has(s.name))];
}

/**
 * A describe block over the optional real dev scans: skipped, saying where they were looked for
 * and how to point at them, when they are absent.
 */
export function describeWithDevScans(name: string, body: () => void): void {
  if (devScansAvailable()) {
    describe(name, body);
    return;
  }
  // Skipped on purpose: the optional data set is not here (a clone of the repository alone).
  describe.skip(`${name} [needs the real dev scans at ${devScansDir()}; set RECTO_TEST_SCANS_DIR]`, body);
}

/** Pages with ground truth as `<name>.png` + `<name>.json` (see test/fixtures/scans/README.md). */
function loadScans(dir: string): DevScan[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
    .sort()
    .map((f) => {
      const gt = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      return {
        name: f.replace(/\.json$/, ''),
        imagePath: join(dir, gt.image),
        width: gt.width,
        height: gt.height,
        dataset: gt.dataset,
        language: gt.language,
        granularity: gt.granularity,
        words: (gt.words ?? []).map((w: { text: string; bbox: number[] }) => ({ text: w.text, bbox: w.bbox })),
        lines: (gt.lines ?? []).map((w: { text: string; bbox: number[] }) => ({ text: w.text, bbox: w.bbox })),
      } as DevScan;
    });
}
