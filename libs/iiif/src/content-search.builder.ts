import type { MatchOptions } from '@recto/search';
import type { IiifMatch, JsonObject } from './iiif-types';
import { IiifUrls } from './iiif-urls';
import { xywhOf } from './xywh';

export interface SearchPageInput {
  urls: IiifUrls;
  q: string;
  /** Carried into the paging links, so every page of results matches the same way. */
  matching?: MatchOptions;
  /** Every match of the query in the document, in page and reading order. */
  matches: IiifMatch[];
  /** 0-based page of results. */
  page: number;
  pageSize: number;
  /** Request parameters the service does not support (the spec's `ignored`). */
  ignored: string[];
}

/** The query parameters of a results page's links. */
function linkQuery({ q, matching }: SearchPageInput, page: number): Record<string, string | number> {
  return {
    q,
    ...(matching?.typos !== undefined ? { typos: matching.typos } : {}),
    ...(matching?.prefix !== undefined ? { prefix: String(matching.prefix) } : {}),
    ...(page === 0 ? {} : { page }),
  };
}

function slice({ matches, page, pageSize }: SearchPageInput) {
  const start = page * pageSize;
  const last = Math.max(0, Math.ceil(matches.length / pageSize) - 1);
  return { start, last, items: matches.slice(start, start + pageSize) };
}

/** IIIF Content Search 1.0: an `sc:AnnotationList` with `hits` (what Mirador 3 and UV consume). */
export function buildSearchV1(input: SearchPageInput): JsonObject {
  const { urls, page, ignored } = input;
  const { start, last, items } = slice(input);
  const pageUrl = (p: number) => urls.search(1, linkQuery(input, p));
  const id = (m: IiifMatch) => urls.annotation(m.page.number, m.index);
  return {
    '@context': ['http://iiif.io/api/presentation/2/context.json', 'http://iiif.io/api/search/1/context.json'],
    '@id': pageUrl(page),
    '@type': 'sc:AnnotationList',
    within: {
      '@type': 'sc:Layer',
      total: input.matches.length,
      first: pageUrl(0),
      last: pageUrl(last),
      ...(ignored.length ? { ignored } : {}),
    },
    ...(page < last ? { next: pageUrl(page + 1) } : {}),
    ...(page > 0 ? { prev: pageUrl(page - 1) } : {}),
    startIndex: start,
    resources: items.map((m) => ({
      '@id': id(m),
      '@type': 'oa:Annotation',
      motivation: 'sc:painting',
      resource: { '@type': 'cnt:ContentAsText', chars: m.match },
      on: `${urls.canvas(m.page.number)}#${xywhOf(m.polygon, m.page)}`,
    })),
    hits: items.map((m) => ({
      '@type': 'search:Hit',
      annotations: [id(m)],
      match: m.match,
      before: m.before,
      after: m.after,
    })),
  };
}

/** IIIF Content Search 2.0: an `AnnotationPage` of highlighting annotations with their context. */
export function buildSearchV2(input: SearchPageInput): JsonObject {
  const { urls, page, ignored } = input;
  const { start, last, items } = slice(input);
  const pageUrl = (p: number) => urls.search(2, linkQuery(input, p));
  const id = (m: IiifMatch) => urls.annotation(m.page.number, m.index);
  return {
    '@context': 'http://iiif.io/api/search/2/context.json',
    id: pageUrl(page),
    type: 'AnnotationPage',
    ...(ignored.length ? { ignored } : {}),
    partOf: {
      id: urls.search(2, linkQuery(input, 0)),
      type: 'AnnotationCollection',
      total: input.matches.length,
      first: { id: pageUrl(0), type: 'AnnotationPage' },
      last: { id: pageUrl(last), type: 'AnnotationPage' },
    },
    ...(page < last ? { next: { id: pageUrl(page + 1), type: 'AnnotationPage' } } : {}),
    ...(page > 0 ? { prev: { id: pageUrl(page - 1), type: 'AnnotationPage' } } : {}),
    startIndex: start,
    items: items.map((m) => ({
      id: id(m),
      type: 'Annotation',
      motivation: 'highlighting',
      body: { type: 'TextualBody', value: m.match, format: 'text/plain' },
      target: `${urls.canvas(m.page.number)}#${xywhOf(m.polygon, m.page)}`,
    })),
    annotations: [
      {
        type: 'AnnotationPage',
        items: items.map((m) => ({
          id: `${id(m)}/context`,
          type: 'Annotation',
          motivation: 'contextualizing',
          target: {
            type: 'SpecificResource',
            source: id(m),
            selector: [{ type: 'TextQuoteSelector', prefix: m.before, exact: m.match, suffix: m.after }],
          },
        })),
      },
    ],
  };
}
