import type { OcrWord } from '@recto/ocr';

export interface WritableWord extends OcrWord {
  /**
   * The page text joined this word with the first word of the next line (`ent-` + `stehen`): its
   * trailing hyphen is a line-end hyphenation, written as ALTO's HYP.
   */
  hyphenated?: boolean;
}

/** A page to write: words as stored (relative polygons, reading order) and the pixel size they are drawn at. */
export interface WritablePage {
  /** 1-based. */
  number: number;
  /** Pixels of the image the coordinates refer to. */
  width: number;
  height: number;
  words: WritableWord[];
}

/** What the files say about where they come from. */
export interface ExportMetadata {
  /** The document's name (its original file name). */
  documentName: string;
  /** The image the coordinates refer to, as the files name it. */
  imageName: string;
  /** Who recognised the words (the document's OCR provider), for the files' processing notes. */
  ocrProvider: string;
  created: Date;
}
