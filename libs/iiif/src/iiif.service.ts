import { Injectable } from '@nestjs/common';
import { DocumentEntity, IiifSource, PageEntity, PageRepository } from '@recto/database';
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

/** A page as a canvas: its own, or the source canvas it was imported from (whose space may differ). */
function iiifPage(p: PageEntity, source: IiifSource | null): IiifPage {
  const own = { width: p.width ?? FALLBACK_SIZE.width, height: p.height ?? FALLBACK_SIZE.height };
  const canvas = source?.canvases[p.number - 1];
  if (!canvas) return { number: p.number, ...own };
  return { number: p.number, width: canvas.width, height: canvas.height, image: own };
}

/** Page number → the source manifest's canvas id, for a document imported from one. */
function canvasIdsOf(document: DocumentEntity): ReadonlyMap<number, string> | undefined {
  return document.iiifSource ? new Map(document.iiifSource.canvases.map((c, i) => [i + 1, c.id])) : undefined;
}

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
      urls: iiifUrlsOf(location, documentId, canvasIdsOf(document)),
      label: document.alias ?? document.filename,
      metadata: { filename: document.filename, ...document.metadata },
      pages: pages.map((p) => iiifPage(p, document.iiifSource)),
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
    const document = await this.documents.get(tenantId, documentId);
    const matching = request.matching ?? {};
    const matches = request.q.trim() ? await this.matches(tenantId, document, request.q, matching) : [];
    const input = {
      urls: iiifUrlsOf(location, documentId, canvasIdsOf(document)),
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
  private async matches(
    tenantId: string,
    document: DocumentEntity,
    q: string,
    matching: MatchOptions,
  ): Promise<IiifMatch[]> {
    const result = await this.search.searchDocument(
      tenantId,
      document.id,
      q,
      MAX_PAGES,
      0,
      { merge: 'line' },
      matching,
    );
    const pages = new Map((await this.pages.findPages(document.id)).map((p) => [p.number, p]));
    return result.hits.flatMap((hit) => {
      const page = pages.get(hit.pageNumber);
      if (!page) return [];
      return hit.highlights.map((h) => ({
        page: iiifPage(page, document.iiifSource),
        index: h.charStart,
        match: h.content,
        polygon: h.polygon,
        ...around(page.content, h.charStart, h.charEnd),
      }));
    });
  }
}
