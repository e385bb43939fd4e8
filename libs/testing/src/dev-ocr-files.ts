import { loadConfig, TestConfig } from '@recto/config';
import { isOcrFile, isScan, pairSidecars } from '@recto/ocr-formats';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The optional set of real OCR files from digitisation projects (`RECTO_TEST_OCR_FILES_DIR`; by
 * default `../shared/data/ocr-formats-dev` beside the repository): ALTO, hOCR and PAGE files in
 * sub-folders, some with their page image beside them under the sidecar rule's names.
 */
export function devOcrFilesDir(): string {
  return resolve(loadConfig(TestConfig).RECTO_TEST_OCR_FILES_DIR);
}

export interface DevOcrFile {
  /** Relative to the set's folder, e.g. `alto/alto-v4-pixel.xml`. */
  name: string;
  path: string;
  /** The image beside it (`chart_01.png` for `chart_01.truth.hocr`), if any. */
  imagePath: string | null;
}

/** The set's OCR files, folder by folder; empty when the set is absent. */
export function loadDevOcrFiles(dir = devOcrFilesDir()): DevOcrFile[] {
  if (!existsSync(dir)) return [];
  const files: DevOcrFile[] = [];
  for (const folder of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const paths = readdirSync(join(dir, folder.name))
      .sort()
      .map((n) => join(dir, folder.name, n));
    // Images take their OCR files by the sidecar rule `recto import` applies.
    const { units, unpaired } = pairSidecars(paths.filter(isScan), paths.filter(isOcrFile));
    for (const unit of units) {
      for (const ocr of unit.ocr) files.push({ name: relative(dir, ocr), path: ocr, imagePath: unit.image });
    }
    for (const ocr of unpaired) files.push({ name: relative(dir, ocr), path: ocr, imagePath: null });
  }
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  return files;
}

/** A describe block over the real OCR files: skipped, saying where they were looked for, without them. */
export function describeWithDevOcrFiles(name: string, body: () => void): void {
  if (existsSync(devOcrFilesDir())) {
    describe(name, body);
    return;
  }
  // Skipped on purpose: the optional data set is not here (a clone of the repository alone).
  describe.skip(`${name} [needs the real OCR files at ${devOcrFilesDir()}; set RECTO_TEST_OCR_FILES_DIR]`, body);
}
