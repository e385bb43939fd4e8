import type { Polygon } from '@recto/database';

export interface IiifPage {
  number: number;
  width: number;
  height: number;
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
