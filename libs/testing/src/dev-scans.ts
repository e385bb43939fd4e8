import { loadConfig, TestConfig } from '@recto/config';
import { readFileSync, readdirSync } from 'node:fs';
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

export function devScansDir(): string {
  return resolve(loadConfig(TestConfig).RECTO_TEST_SCANS_DIR);
}

/** The real scanned pages with ground truth in shared/data/scans-dev. */
export function loadDevScans(dir = devScansDir()): DevScan[] {
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
