import { DomainException, ErrorCode } from '@recto/common';
import { AnnotationPagesFetcher } from './annotation-pages.fetcher';

/** What a source site serves, and every request made of it (the UrlFetcher is exercised by the e2e suite). */
function site(files: Record<string, unknown>) {
  const requests: string[] = [];
  const fetchBytes = async (url: string): Promise<Buffer> => {
    requests.push(url);
    const body = files[url];
    if (body === undefined) throw new DomainException(ErrorCode.UrlFetchFailed, `${url} answered 404`);
    return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  };
  return { requests, fetchBytes };
}

const page = (id: string, next?: string) => ({ id, type: 'AnnotationPage', items: [], ...(next ? { next } : {}) });

describe('AnnotationPagesFetcher', () => {
  it('keeps inline pages, fetches referenced ones once per import, and follows next', async () => {
    const s = site({ 'https://a/1': page('https://a/1', 'https://a/2'), 'https://a/2': page('https://a/2') });
    const fetcher = new AnnotationPagesFetcher(s.fetchBytes, { pagesPerCanvas: 10, totalBytes: 1e6 });
    const inline = { id: 'inline', items: [] };
    const first = await fetcher.pagesOf([{ inline }, { url: 'https://a/1' }]);
    expect(first.pages.map((p) => p.id)).toEqual(['inline', 'https://a/1', 'https://a/2']);
    expect(first.skipped).toEqual([]);
    // Another canvas referring to the same list: read again, not fetched again.
    const second = await fetcher.pagesOf([{ url: 'https://a/1' }]);
    expect(second.pages.map((p) => p.id)).toEqual(['https://a/1', 'https://a/2']);
    expect(s.requests).toEqual(['https://a/1', 'https://a/2']);
  });

  it('skips, saying why, what cannot be fetched or read, and goes on', async () => {
    const s = site({ 'https://a/html': '<html></html>', 'https://a/list': [1], 'https://a/ok': page('https://a/ok') });
    const fetcher = new AnnotationPagesFetcher(s.fetchBytes, { pagesPerCanvas: 10, totalBytes: 1e6 });
    const { pages, skipped } = await fetcher.pagesOf(
      ['https://a/gone', 'https://a/html', 'https://a/list', 'https://a/ok'].map((url) => ({ url })),
    );
    expect(pages.map((p) => p.id)).toEqual(['https://a/ok']);
    expect(skipped).toEqual([
      { url: 'https://a/gone', reason: 'https://a/gone answered 404' },
      { url: 'https://a/html', reason: 'not JSON' },
      { url: 'https://a/list', reason: 'not a JSON object' },
    ]);
  });

  it('fetches at most pagesPerCanvas pages for a canvas, a next loop included', async () => {
    const s = site({
      'https://a/1': page('https://a/1', 'https://a/2'),
      'https://a/2': page('https://a/2', 'https://a/1'),
    });
    const loop = new AnnotationPagesFetcher(s.fetchBytes, { pagesPerCanvas: 10, totalBytes: 1e6 });
    expect((await loop.pagesOf([{ url: 'https://a/1' }])).pages).toHaveLength(2);
    const few = new AnnotationPagesFetcher(site({}).fetchBytes, { pagesPerCanvas: 2, totalBytes: 1e6 });
    const { skipped } = await few.pagesOf(['https://a/x', 'https://a/y', 'https://a/z'].map((url) => ({ url })));
    expect(skipped.map((x) => x.reason)).toEqual([
      'https://a/x answered 404',
      'https://a/y answered 404',
      'more than 2 annotation pages',
    ]);
  });

  it('stops fetching once the import has read its byte budget', async () => {
    const big = { ...page('https://a/big'), padding: 'x'.repeat(600) };
    const s = site({
      'https://a/big': big,
      'https://a/more': page('https://a/more'),
      'https://a/last': page('https://a/last'),
    });
    const fetcher = new AnnotationPagesFetcher(s.fetchBytes, { pagesPerCanvas: 10, totalBytes: 700 });
    expect((await fetcher.pagesOf([{ url: 'https://a/big' }])).pages).toHaveLength(1);
    const over = await fetcher.pagesOf([{ url: 'https://a/more' }, { url: 'https://a/last' }]);
    expect(over.pages.map((p) => p.id)).toEqual([]);
    expect(over.skipped.map((x) => x.reason)).toEqual([
      'the annotation pages of the import come to more than 700 bytes',
      'the annotation pages of the import come to more than 700 bytes',
    ]);
    expect(s.requests).toEqual(['https://a/big', 'https://a/more']);
  });
});
