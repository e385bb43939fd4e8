import Ajv from 'ajv';
import { buildAutocompleteV1, buildAutocompleteV2 } from './autocomplete.builder';
import { buildSearchV1, buildSearchV2 } from './content-search.builder';
import { autocompleteV1Shape, autocompleteV2Shape, manifestV3Shape, searchV1Shape, searchV2Shape } from './iiif-shapes';
import type { IiifMatch } from './iiif-types';
import { IiifUrls } from './iiif-urls';
import { buildManifest } from './manifest.builder';
import { xywhOf } from './xywh';

const ajv = new Ajv({ allErrors: true, strict: false });
const valid = (shape: object, value: unknown) => {
  const validate = ajv.compile(shape);
  const ok = validate(value);
  if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
  return ok;
};

const urls = new IiifUrls('https://recto.example', '0b8c5c2e-8a51-4f1c-9a55-2f4f1c0f9b10');
const page = { number: 2, width: 2000, height: 3000 };
const match = (i: number): IiifMatch => ({
  page,
  index: i * 10,
  match: 'Montgomery',
  before: 'Betty D.',
  after: 'CONFIDENTIAL',
  polygon: [
    [0.1, 0.2],
    [0.2, 0.2],
    [0.2, 0.21],
    [0.1, 0.21],
  ],
});

describe('IIIF builders', () => {
  it('puts a relative polygon into the canvas pixel space', () => {
    expect(xywhOf(match(0).polygon, page)).toBe('xywh=200,600,200,30');
  });

  it('builds a Presentation 3 manifest with a canvas per page and both search services', () => {
    const manifest = buildManifest({ urls, label: 'scan.pdf', metadata: { box: 7 }, pages: [page] });
    expect(valid(manifestV3Shape, manifest)).toBe(true);
    const services = manifest.service as Record<string, unknown>[];
    expect(services[0]).toMatchObject({ profile: 'http://iiif.io/api/search/1/search', '@id': urls.search(1) });
    expect(services[1]).toMatchObject({ type: 'SearchService2', id: urls.search(2) });
  });

  it('builds Content Search 1.0 pages with hits, paging and ignored parameters', () => {
    const matches = Array.from({ length: 250 }, (_, i) => match(i));
    const first = buildSearchV1({ urls, q: 'montgomery', matches, page: 0, pageSize: 100, ignored: ['motivation'] });
    expect(valid(searchV1Shape, first)).toBe(true);
    expect(first).toMatchObject({
      startIndex: 0,
      within: { total: 250, ignored: ['motivation'] },
      next: urls.search(1, { q: 'montgomery', page: 1 }),
    });
    expect((first.resources as { on: string }[])[0].on).toBe(`${urls.canvas(2)}#xywh=200,600,200,30`);
    expect((first.hits as unknown[])[0]).toMatchObject({
      match: 'Montgomery',
      before: 'Betty D.',
      after: 'CONFIDENTIAL',
    });
    const last = buildSearchV1({ urls, q: 'montgomery', matches, page: 2, pageSize: 100, ignored: [] });
    expect(last.next).toBeUndefined();
    expect(last.resources).toHaveLength(50);
  });

  it('builds Content Search 2.0 annotation pages with contextualizing annotations', () => {
    const result = buildSearchV2({
      urls,
      q: 'montgomery',
      matches: [match(0), match(1)],
      page: 0,
      pageSize: 100,
      ignored: ['date'],
    });
    expect(valid(searchV2Shape, result)).toBe(true);
    expect(result.ignored).toEqual(['date']);
    expect((result.partOf as { total: number }).total).toBe(2);
  });

  it('answers an empty search in the same shapes', () => {
    expect(
      valid(searchV1Shape, buildSearchV1({ urls, q: 'x', matches: [], page: 0, pageSize: 100, ignored: [] })),
    ).toBe(true);
    expect(
      valid(searchV2Shape, buildSearchV2({ urls, q: 'x', matches: [], page: 0, pageSize: 100, ignored: [] })),
    ).toBe(true);
  });

  it('builds autocomplete term lists (1.0) and term pages (2.0)', () => {
    const terms = [{ term: 'montgomery', count: 3 }];
    const v1 = buildAutocompleteV1({ urls, q: 'mont', terms, ignored: [] });
    const v2 = buildAutocompleteV2({ urls, q: 'mont', terms, ignored: [] });
    expect(valid(autocompleteV1Shape, v1)).toBe(true);
    expect(valid(autocompleteV2Shape, v2)).toBe(true);
    expect(v1.terms).toEqual([{ match: 'montgomery', url: urls.search(1, { q: 'montgomery' }), count: 3 }]);
  });
});
