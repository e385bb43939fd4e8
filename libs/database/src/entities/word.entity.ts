/** Relative [x, y] points, clockwise from top-left (Mindee's convention). */
export type Polygon = [number, number][];

/** A word as stored with its page (page-words.codec), in reading order. */
export interface PageWord {
  content: string;
  /** Rounded to 1/1,000,000 of the page side (COORDINATE_SCALE). */
  polygon: Polygon;
  /** 0-1, rounded to 0.01. */
  confidence: number | null;
  line: number;
  /** UTF-16 offsets of the word in the page content: [charStart, charEnd). */
  charStart: number;
  charEnd: number;
}

/**
 * A word of a page as read back. Words are no longer rows of their own (the compact layout keeps
 * all of a page's words in one value of its page row), so this is a shape, not a TypeORM entity.
 */
export interface WordEntity extends PageWord {
  pageId: string;
  documentId: string;
  /** Position of the word in the page's reading order. */
  idx: number;
}
