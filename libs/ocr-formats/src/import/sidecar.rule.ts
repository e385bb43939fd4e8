import { basename, dirname, extname } from 'node:path';

/** Extensions of page images and PDFs, picked up when walking a directory. */
export const SCAN_EXTENSIONS = new Set([
  '.pdf',
  '.png',
  '.jpg',
  '.jpeg',
  '.tif',
  '.tiff',
  '.webp',
  '.heic',
  '.heif',
  '.gif',
]);

/**
 * Extensions of OCR sidecar files. Only the last extension counts, so `.alto.xml`, `.page.xml`
 * and `.hocr.html` are covered; the server detects ALTO, hOCR or PAGE from the content.
 */
export const OCR_EXTENSIONS = new Set(['.xml', '.hocr', '.html', '.htm', '.xhtml']);

const extensionOf = (path: string) => extname(path).toLowerCase();
export const isScan = (path: string) => SCAN_EXTENSIONS.has(extensionOf(path));
export const isOcrFile = (path: string) => OCR_EXTENSIONS.has(extensionOf(path));

/** A file's name without its last extension: `0001.tif` → `0001`, `0001.alto.xml` → `0001.alto`. */
const stemOf = (path: string) => basename(path, extname(path));

/** One document to upload: an image with its sidecar, an image alone, or an OCR file alone. */
export interface UploadUnit {
  image: string | null;
  /** The sidecars found; more than one is an ambiguity the import reports instead of guessing. */
  ocr: string[];
}

/**
 * The sidecar rule. An OCR file belongs to the image in the same directory whose name without
 * its extension is the OCR file's name without its extension, or is followed in it by a dot:
 * `0001.tif` takes `0001.xml`, `0001.alto.xml`, `0001.page.xml`, `0001.hocr`, `0001.hocr.html`,
 * `0001.truth.hocr`. Names are compared exactly (case too); extensions ignore case. When two
 * images could take the same file (`scan.png`, `scan.v2.png` and `scan.v2.xml`), the longer name
 * wins; images of the same name (`0001.tif`, `0001.jpg`) each take it.
 *
 * Returns one unit per image, in the images' order, and the OCR files no image takes.
 */
export function pairSidecars(images: string[], ocrFiles: string[]): { units: UploadUnit[]; unpaired: string[] } {
  const units: UploadUnit[] = images.map((image) => ({ image, ocr: [] }));
  const byDirectory = new Map<string, UploadUnit[]>();
  for (const unit of units) {
    const dir = dirname(unit.image!);
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), unit]);
  }
  const unpaired: string[] = [];
  for (const ocr of ocrFiles) {
    const stem = stemOf(ocr);
    let best: UploadUnit[] = [];
    let bestLength = -1;
    for (const unit of byDirectory.get(dirname(ocr)) ?? []) {
      const imageStem = stemOf(unit.image!);
      if (stem !== imageStem && !stem.startsWith(`${imageStem}.`)) continue;
      if (imageStem.length > bestLength) [best, bestLength] = [[unit], imageStem.length];
      else if (imageStem.length === bestLength) best.push(unit);
    }
    if (best.length === 0) unpaired.push(ocr);
    for (const unit of best) unit.ocr.push(ocr);
  }
  return { units, unpaired };
}
