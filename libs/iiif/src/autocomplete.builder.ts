import type { JsonObject } from './iiif-types';
import { IiifUrls } from './iiif-urls';

export interface AutocompleteInput {
  urls: IiifUrls;
  q: string;
  terms: { term: string; count: number }[];
  ignored: string[];
}

/** IIIF Content Search 1.0 autocomplete: a `search:TermList`. */
export function buildAutocompleteV1({ urls, q, terms, ignored }: AutocompleteInput): JsonObject {
  return {
    '@context': 'http://iiif.io/api/search/1/context.json',
    '@id': urls.autocomplete(1, { q }),
    '@type': 'search:TermList',
    ...(ignored.length ? { ignored } : {}),
    terms: terms.map((t) => ({ match: t.term, url: urls.search(1, { q: t.term }), count: t.count })),
  };
}

/** IIIF Content Search 2.0 autocomplete: a `TermPage`. */
export function buildAutocompleteV2({ urls, q, terms, ignored }: AutocompleteInput): JsonObject {
  return {
    '@context': 'http://iiif.io/api/search/2/context.json',
    id: urls.autocomplete(2, { q }),
    type: 'TermPage',
    ...(ignored.length ? { ignored } : {}),
    items: terms.map((t) => ({
      value: t.term,
      total: t.count,
      service: [{ id: urls.search(2, { q: t.term }), type: 'SearchService2' }],
    })),
  };
}
