import type { TesseractBlock } from './tesseract-words';

type Paragraph = NonNullable<TesseractBlock['paragraphs']>[number];
type Line = NonNullable<Paragraph['lines']>[number];

// Columns of Tesseract's TSV output (tessedit_create_tsv), one row per page, block, paragraph,
// line and word (level 1–5).
const LEVEL = 0;
const BLOCK = 2;
const PARAGRAPH = 3;
const LINE = 4;
const LEFT = 6;
const TOP = 7;
const WIDTH = 8;
const HEIGHT = 9;
const CONFIDENCE = 10;
const TEXT = 11;

/**
 * The word rows of the native program's TSV as the block → paragraph → line → word tree that
 * tesseract.js reports, so that both engines' readings go through the same tesseractWords().
 * Both come from the same result iterator: TSV's box is left/top/width/height of the same
 * bounding box, its confidence the same word confidence (0–100), which tesseract.js reports in
 * whole percents (truncated): truncated here too, so that a confidence means the same whichever
 * engine read the page (the orientation check and page quality compare them with thresholds).
 */
export function tsvBlocks(tsv: string): TesseractBlock[] {
  const blocks: TesseractBlock[] = [];
  let block: TesseractBlock | undefined;
  let paragraph: Paragraph | undefined;
  let line: Line | undefined;
  let key = { block: '', paragraph: '', line: '' };
  for (const row of tsv.split('\n')) {
    const cells = row.split('\t');
    if (cells[LEVEL] !== '5' || cells.length <= TEXT) continue;
    const [b, p, l] = [cells[BLOCK], cells[PARAGRAPH], cells[LINE]];
    if (!block || b !== key.block) {
      block = { paragraphs: [] };
      blocks.push(block);
      paragraph = line = undefined;
    }
    if (!paragraph || p !== key.paragraph) {
      paragraph = { lines: [] };
      block.paragraphs!.push(paragraph);
      line = undefined;
    }
    if (!line || l !== key.line) {
      line = { words: [] };
      paragraph.lines!.push(line);
    }
    key = { block: b, paragraph: p, line: l };
    const [x0, y0] = [Number(cells[LEFT]), Number(cells[TOP])];
    line.words!.push({
      // The text is the last column; a tab cannot occur inside it, but keep any rest just in case.
      text: cells.slice(TEXT).join('\t'),
      confidence: Math.trunc(Number(cells[CONFIDENCE])),
      bbox: { x0, y0, x1: x0 + Number(cells[WIDTH]), y1: y0 + Number(cells[HEIGHT]) },
    });
  }
  return blocks;
}
