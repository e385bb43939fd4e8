import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The vendored OCR files under test/fixtures/ocr-formats (see its README for sources and licences). */
export const OCR_FIXTURES_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'ocr-formats');

export function ocrFixture(name: string): Buffer {
  return readFileSync(join(OCR_FIXTURES_DIR, name));
}
