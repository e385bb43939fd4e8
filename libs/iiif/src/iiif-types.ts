import type { Polygon } from '@recto/database';

export interface IiifPage {
  number: number;
  /** The canvas's coordinate space: the page's pixels, or an imported manifest's canvas. */
  width: number;
  height: number;
  /** The page image's pixel size, where it differs from the canvas's (an imported canvas). */
  image?: { width: number; height: number };
}

/** One matched word (or merged region) on a page, with the text around it. */
export interface IiifMatch {
  page: IiifPage;
  /** Stable within the page: the position of the first word. */
  index: number;
  match: string;
  before: string;
  after: string;
  polygon: Polygon;
}

export type JsonObject = Record<string, unknown>;
