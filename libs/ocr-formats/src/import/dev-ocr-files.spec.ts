import {
  alignWords,
  describeWithDevOcrFiles,
  iou,
  loadDevOcrFiles,
  polygonToBox,
  wordsInOcrFile,
} from '@recto/testing';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { readImportedPages } from './imported-files.reader';

/**
 * The parsers on real files from digitisation projects (the optional set; skipped without it):
 * every word the file's markup states is read, with the file's box, and a file with its image
 * passes the aspect-ratio check. The counts and boxes come from `wordsInOcrFile`, a reading of
 * the markup independent of the parsers.
 */
describeWithDevOcrFiles('real OCR files through the parsers', () => {
  const files = loadDevOcrFiles();

  it('has files to read', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const bytes = readFileSync(file.path);
    const size = file.imagePath ? await sharp(file.imagePath).metadata() : null;
    const { pages } = readImportedPages(
      [{ bytes, filename: file.name }],
      size ? [{ width: size.width!, height: size.height! }] : null,
    );
    const inFile = wordsInOcrFile(bytes);
    expect(pages).toHaveLength(inFile.pages.length);
    pages.forEach((page, p) => {
      const expected = inFile.pages[p].words;
      expect(page.words).toHaveLength(expected.length);
      const pairs = alignWords(expected, page.words);
      expect(pairs).toHaveLength(expected.length);
      const ious = pairs.map(([i, j]) => iou(expected[i].box, polygonToBox(page.words[j].polygon, 1, 1)));
      // A word's polygon is its box, or the rectangle around an ALTO Shape: never far from it.
      expect(Math.min(...ious)).toBeGreaterThan(0.9);
      expect(ious.reduce((a, b) => a + b, 0) / ious.length).toBeGreaterThan(0.99);
    });
  });
});
