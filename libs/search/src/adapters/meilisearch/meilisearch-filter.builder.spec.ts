import { ErrorCode } from '@recto/common';
import { buildFilter, quoteFilterValue } from './meilisearch-filter.builder';

describe('quoteFilterValue', () => {
  it('quotes and escapes backslashes and double quotes', () => {
    expect(quoteFilterValue('plain')).toBe('"plain"');
    expect(quoteFilterValue('a"b')).toBe('"a\\"b"');
    expect(quoteFilterValue('a\\')).toBe('"a\\\\"');
    expect(quoteFilterValue('x\\" OR y = "z')).toBe('"x\\\\\\" OR y = \\"z"');
    expect(quoteFilterValue("it's")).toBe('"it\'s"');
  });
});

describe('buildFilter', () => {
  const base = { q: 'x', tenantId: 't1', limit: 10, offset: 0 };

  it('always starts with the tenant', () => {
    expect(buildFilter(base)).toEqual(['tenant_id = "t1"']);
  });

  it('adds every given criterion', () => {
    expect(
      buildFilter({
        ...base,
        documentId: 'd"1',
        mimeType: 'image/png',
        createdFrom: new Date(1000),
        createdTo: new Date(2000),
        metadata: { dept: 'HR', 'cost-center_2': '4"2' },
      }),
    ).toEqual([
      'tenant_id = "t1"',
      'document_id = "d\\"1"',
      'mime_type = "image/png"',
      'created_at >= 1000',
      'created_at <= 2000',
      'metadata.dept = "HR"',
      'metadata.cost-center_2 = "4\\"2"',
    ]);
  });

  it('rejects metadata keys that are not plain identifiers', () => {
    for (const key of ['a b', 'a.b', 'x = "y" OR tenant_id', '', 'k'.repeat(65)]) {
      expect(() => buildFilter({ ...base, metadata: { [key]: 'v' } })).toThrow(
        expect.objectContaining({ code: ErrorCode.ValidationFailed }),
      );
    }
  });

  it('rejects invalid dates and a missing tenant', () => {
    expect(() => buildFilter({ ...base, createdFrom: new Date('nope') })).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
    expect(() => buildFilter({ ...base, tenantId: '' })).toThrow(expect.objectContaining({ code: ErrorCode.Internal }));
  });
});
