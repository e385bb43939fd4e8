import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { iou as boxIou, polygonToBox as polygonBox } from './geometry';

/** The published schemas vendored with the OCR formats lib. */
export const OCR_SCHEMAS_DIR = resolve(__dirname, '../../ocr-formats/schemas');
export const ALTO_4_XSD = join(OCR_SCHEMAS_DIR, 'alto-4-4.xsd');
export const PAGE_2019_XSD = join(OCR_SCHEMAS_DIR, 'pagecontent-2019-07-15.xsd');

/** Whether a command-line tool (Debian's xmllint, pdftotext, pdftoppm) is installed. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

function withTempFile<T>(name: string, data: string | Uint8Array, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'recto-check-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, data);
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface XmlCheck {
  ok: boolean;
  /** xmllint's messages (empty when ok). */
  errors: string;
}

/** libxml2's verdict on a document: well-formed, and valid against `schema` when given. Never fetches anything. */
export function xmllint(xml: string, schema?: string): XmlCheck {
  return withTempFile('doc.xml', xml, (path) => {
    const args = ['--noout', '--nonet', ...(schema ? ['--schema', schema] : []), path];
    const run = spawnSync('xmllint', args, { encoding: 'utf8' });
    return { ok: run.status === 0, errors: run.status === 0 ? '' : run.stderr };
  });
}

export interface PdfTextWord {
  page: number;
  text: string;
  /** Points, origin top-left, as pdftotext reports them. */
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfTextLayout {
  pages: { width: number; height: number }[];
  words: PdfTextWord[];
}

const unescape = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? _,
  );

/** The words poppler finds in a PDF and their boxes (`pdftotext -bbox`), i.e. what a viewer's find and select use. */
export function pdfTextLayout(pdf: Uint8Array): PdfTextLayout {
  const html = withTempFile('doc.pdf', pdf, (path) =>
    execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  );
  const layout: PdfTextLayout = { pages: [], words: [] };
  const token =
    /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of html.matchAll(token)) {
    if (m[1]) layout.pages.push({ width: Number(m[1]), height: Number(m[2]) });
    else
      layout.words.push({
        page: layout.pages.length,
        text: unescape(m[7]),
        xMin: Number(m[3]),
        yMin: Number(m[4]),
        xMax: Number(m[5]),
        yMax: Number(m[6]),
      });
  }
  return layout;
}

export interface TextLayerScore {
  /** Stored words on the page. */
  words: number;
  /** Of those, the ones poppler finds with the same text. */
  found: number;
  /** Stored words whose best same-text poppler word has IoU >= 0.9 with the stored polygon's box. */
  iouAtLeast09: number;
  meanIou: number;
  minIou: number;
  /** Longest common subsequence of the stored and the poppler word sequences, over the stored words: 1 is the same order. */
  orderAgreement: number;
}

function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const current = [0];
    for (let j = 0; j < b.length; j++)
      current.push(x === b[j] ? previous[j] + 1 : Math.max(previous[j + 1], current[j]));
    previous = current;
  }
  return previous[b.length];
}

/**
 * How well a searchable PDF page's text layer matches the stored words: each stored word against the
 * poppler word of the same text whose box overlaps it most (poppler joins a line-end hyphenation into
 * one word and may split a word it reads as turned; those count as not found).
 */
export function scoreTextLayer(
  stored: { content: string; polygon: [number, number][] }[],
  layout: PdfTextLayout,
  pageNumber: number,
): TextLayerScore {
  const size = layout.pages[pageNumber - 1];
  const found = layout.words.filter((w) => w.page === pageNumber);
  const ious = stored.map((word) => {
    const box = polygonBox(word.polygon, size.width, size.height);
    const same = found.filter((f) => f.text === word.content.trim());
    return same.length ? Math.max(...same.map((f) => boxIou(box, [f.xMin, f.yMin, f.xMax, f.yMax]))) : null;
  });
  const matched = ious.filter((v): v is number => v !== null);
  return {
    words: stored.length,
    found: matched.length,
    iouAtLeast09: matched.filter((v) => v >= 0.9).length,
    meanIou: matched.length ? matched.reduce((s, v) => s + v, 0) / matched.length : 0,
    minIou: matched.length ? Math.min(...matched) : 0,
    orderAgreement: stored.length
      ? lcsLength(
          stored.map((w) => w.content.trim()),
          found.map((f) => f.text),
        ) / stored.length
      : 1,
  };
}
