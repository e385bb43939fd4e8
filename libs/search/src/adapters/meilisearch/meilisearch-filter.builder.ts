import { DomainException, ErrorCode } from '@recto/common';
import { IndexQuery } from '../../search-index.interface';

/** Metadata keys become attribute paths in the filter, so they are restricted, not quoted. */
const METADATA_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Quotes a value for a Meilisearch filter expression. Inside double quotes the filter parser
 * treats `\` as an escape character, so escaping `\` and `"` leaves no way to end the string early.
 */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The filter of a query, as AND-ed expressions; the tenant condition is always the first. */
export function buildFilter(query: IndexQuery): string[] {
  if (typeof query.tenantId !== 'string' || query.tenantId === '') {
    // Without a tenant the search would span every tenant.
    throw new DomainException(ErrorCode.Internal, 'A search must be scoped to a tenant.');
  }
  const filter = [`tenant_id = ${quoteFilterValue(query.tenantId)}`];
  if (query.documentId !== undefined) {
    filter.push(`document_id = ${quoteFilterValue(query.documentId)}`);
  }
  if (query.mimeType !== undefined) filter.push(`mime_type = ${quoteFilterValue(query.mimeType)}`);
  if (query.createdFrom !== undefined) {
    filter.push(`created_at >= ${timestamp(query.createdFrom, 'createdFrom')}`);
  }
  if (query.createdTo !== undefined) {
    filter.push(`created_at <= ${timestamp(query.createdTo, 'createdTo')}`);
  }
  for (const [key, value] of Object.entries(query.metadata ?? {})) {
    if (!METADATA_KEY.test(key)) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid metadata filter.', [
        {
          pointer: `/metadata/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          detail: 'Metadata keys may only contain letters, digits, "_" and "-" (1-64 characters).',
        },
      ]);
    }
    filter.push(`metadata.${key} = ${quoteFilterValue(String(value))}`);
  }
  return filter;
}

function timestamp(date: Date, field: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Invalid date filter.', [
      { pointer: `/${field}`, detail: 'Must be a valid date.' },
    ]);
  }
  return ms;
}
