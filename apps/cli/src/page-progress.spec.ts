import { pageProgress } from './import.command';

describe('pageProgress', () => {
  it('adds up the pages read of the documents whose page count is known', () => {
    expect(
      pageProgress([
        { page_count: 60, pages_done: 12 },
        { page_count: 3, pages_done: 3 },
        { page_count: null, pages_done: null },
      ]),
    ).toBe('15/63 pages read');
  });

  it('says nothing before any page count is known', () => {
    expect(pageProgress([{ page_count: null, pages_done: null }, {}])).toBe('');
  });
});
