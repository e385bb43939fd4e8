import { DomainException } from '@recto/common';
import type { AnnotationPageRef } from '@recto/database';

export interface AnnotationFetchLimits {
  /** Annotation pages fetched for one canvas, `next` pages included; the rest are left. */
  pagesPerCanvas: number;
  /** Bytes of annotation pages fetched for one import, all canvases together. */
  totalBytes: number;
}

/** Why an annotation page was not read: the import goes on without it (its canvas may be OCRed). */
export interface SkippedAnnotationPage {
  url: string;
  reason: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null => {
  const id = isObject(v) ? (v.id ?? v['@id']) : v;
  return typeof id === 'string' && id.trim() ? id.trim() : null;
};

/**
 * The annotation pages of an import's canvases, the referenced ones fetched: each URL once per
 * import (one v2 list often serves several canvases), a paged AnnotationPage followed along its
 * `next`, within a number of pages per canvas and a byte budget for the whole import (each fetch is
 * also within the fetcher's own limits). Annotation pages are optional reading: one that cannot be
 * fetched, is not JSON, or is past the limits is skipped and said so, it does not fail the import.
 */
export class AnnotationPagesFetcher {
  private readonly fetched = new Map<string, Promise<Json | string>>();
  private bytesLeft: number;

  constructor(
    private readonly fetchBytes: (url: string) => Promise<Buffer>,
    private readonly limits: AnnotationFetchLimits,
  ) {
    this.bytesLeft = limits.totalBytes;
  }

  async pagesOf(refs: AnnotationPageRef[]): Promise<{ pages: Json[]; skipped: SkippedAnnotationPage[] }> {
    const pages: Json[] = [];
    const skipped: SkippedAnnotationPage[] = [];
    const seen = new Set<string>();
    const queue = [...refs];
    let fetches = 0;
    for (let ref = queue.shift(); ref; ref = queue.shift()) {
      let page: Json;
      if ('inline' in ref) page = ref.inline;
      else {
        if (seen.has(ref.url)) continue;
        seen.add(ref.url);
        if (fetches >= this.limits.pagesPerCanvas) {
          skipped.push({ url: ref.url, reason: `more than ${this.limits.pagesPerCanvas} annotation pages` });
          continue;
        }
        fetches += 1;
        const got = await this.fetchOnce(ref.url);
        if (typeof got === 'string') {
          skipped.push({ url: ref.url, reason: got });
          continue;
        }
        page = got;
      }
      pages.push(page);
      const next = idOf(page.next);
      if (next) queue.push({ url: next });
    }
    return { pages, skipped };
  }

  /** The page, or why there is none; shared by every canvas that refers to the URL. */
  private fetchOnce(url: string): Promise<Json | string> {
    let pending = this.fetched.get(url);
    if (!pending) {
      pending = this.fetch(url);
      this.fetched.set(url, pending);
    }
    return pending;
  }

  private async fetch(url: string): Promise<Json | string> {
    if (this.bytesLeft <= 0)
      return `the annotation pages of the import come to more than ${this.limits.totalBytes} bytes`;
    let bytes: Buffer;
    try {
      bytes = await this.fetchBytes(url);
    } catch (err) {
      if (err instanceof DomainException) return err.message;
      throw err;
    }
    this.bytesLeft -= bytes.length;
    if (this.bytesLeft < 0)
      return `the annotation pages of the import come to more than ${this.limits.totalBytes} bytes`;
    try {
      const json: unknown = JSON.parse(bytes.toString('utf8'));
      return isObject(json) ? json : 'not a JSON object';
    } catch {
      return 'not JSON';
    }
  }
}
