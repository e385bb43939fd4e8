import { Injectable } from '@nestjs/common';
import { PageEntity, PageRepository } from '@recto/database';
import { DocumentService, hasPageImages } from '@recto/documents';
import { MatchOptions, SearchService } from '@recto/search';
import { buildAutocompleteV1, buildAutocompleteV2 } from './autocomplete.builder';
import { buildSearchV1, buildSearchV2 } from './content-search.builder';
import type { IiifMatch, IiifPage, JsonObject } from './iiif-types';
import { IiifLocation, iiifUrlsOf } from './access/iiif-access.service';
import { buildManifest } from './manifest.builder';

export interface IiifSearchRequest {
  version: 1 | 2;
  q: string;
  page: number;
  /** `typos` / `prefix` of the search routes; unset: the defaults. */
  matching?: MatchOptions;
  /** Names of request parameters this service does not support. */
  ignored: string[];
}

const CONTEXT_CHARS = 40;
const RESULTS_PER_PAGE = 100;
/** Search inside one document reaches at most this many pages (the engine's own cap). */
const MAX_PAGES = 1000;
/** Canvases need a size; a page whose size is unknown gets a letter-sized canvas at 100 dpi. */
const FALLBACK_SIZE = { width: 850, height: 1100 };

const iiifPage = (p: PageEntity): IiifPage => ({
  number: p.number,
  width: p.width ?? FALLBACK_SIZE.width,
  height: p.height ?? FALLBACK_SIZE.height,
});

/** Text around a match, cut at word boundaries, on one line. */
function around(content: string, start: number, end: number): { before: string; after: string } {
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  let before = content.slice(Math.max(0, start - CONTEXT_CHARS), start);
  if (start > CONTEXT_CHARS) before = before.replace(/^\S*\s/, '');
  let after = content.slice(end, end + CONTEXT_CHARS);
  if (end + CONTEXT_CHARS < content.length) after = after.replace(/\s\S*$/, '');
  return { before: flat(before), after: flat(after) };
}

/** IIIF views of a document: Presentation 3 manifest, Content Search 1.0 and 2.0, autocomplete. */
@Injectable()
export class IiifService {
  constructor(
    private readonly documents: DocumentService,
    private readonly pages: PageRepository,
    private readonly search: SearchService,
  ) {}

  async manifest(tenantId: string, documentId: string, location: IiifLocation): Promise<JsonObject> {
    const document = await this.documents.get(tenantId, documentId);
    const pages = await this.pages.findPages(documentId);
    return buildManifest({
      urls: iiifUrlsOf(location, documentId),
      label: document.alias ?? document.filename,
      metadata: { filename: document.filename, ...document.metadata },
      pages: pages.map(iiifPage),
      withImages: hasPageImages(document.mimeType),
    });
  }

  async searchWithin(
    tenantId: string,
    documentId: string,
    location: IiifLocation,
    request: IiifSearchRequest,
  ): Promise<JsonObject> {
    // Tenant check first, also for an empty query: another tenant's id answers 404 like a missing one.
    await this.documents.get(tenantId, documentId);
    const matching = request.matching ?? {};
    const matches = request.q.trim() ? await this.matches(tenantId, documentId, request.q, matching) : [];
    const input = {
      urls: iiifUrlsOf(location, documentId),
      q: request.q,
      matching,
      matches,
      page: request.page,
      pageSize: RESULTS_PER_PAGE,
      ignored: request.ignored,
    };
    return request.version === 1 ? buildSearchV1(input) : buildSearchV2(input);
  }

  async autocomplete(
    tenantId: string,
    documentId: string,
    location: IiifLocation,
    request: Omit<IiifSearchRequest, 'page'> & { min?: number },
  ): Promise<JsonObject> {
    await this.documents.get(tenantId, documentId);
    const prefix = request.q.trim();
    const terms = prefix ? await this.pages.termsWithPrefix(documentId, prefix, 20) : [];
    const input = {
      urls: iiifUrlsOf(location, documentId),
      q: request.q,
      terms: terms.filter((t) => t.count >= (request.min ?? 1)),
      ignored: request.ignored,
    };
    return request.version === 1 ? buildAutocompleteV1(input) : buildAutocompleteV2(input);
  }

  /** Every matched word of the document, page by page in reading order, with its context. */
  private async matches(tenantId: string, documentId: string, q: string, matching: MatchOptions): Promise<IiifMatch[]> {
    const result = await this.search.searchDocument(tenantId, documentId, q, MAX_PAGES, 0, { merge: 'line' }, matching);
    const pages = new Map((await this.pages.findPages(documentId)).map((p) => [p.number, p]));
    return result.hits.flatMap((hit) => {
      const page = pages.get(hit.pageNumber);
      if (!page) return [];
      return hit.highlights.map((h) => ({
        page: iiifPage(page),
        index: h.charStart,
        match: h.content,
        polygon: h.polygon,
        ...around(page.content, h.charStart, h.charEnd),
      }));
    });
  }
}
