import { DomainException, ErrorCode } from '@recto/common';

/**
 * A remote provider ran the job and reported failure. Permanent: the same file would fail again.
 * Carries the provider's own problem details, which the document's `error` keeps verbatim.
 */
export class ProviderJobFailedException extends DomainException {
  constructor(
    provider: string,
    readonly providerError: { status?: number; title?: string; detail?: string; code?: string; errors?: unknown[] },
  ) {
    super(
      ErrorCode.ProviderError,
      `${provider} could not process the document: ${providerError.title ?? 'failed'}` +
        (providerError.detail ? ` — ${providerError.detail}` : '') +
        (providerError.code ? ` (${providerError.code})` : ''),
      Array.isArray(providerError.errors)
        ? (providerError.errors as { pointer?: string | null; detail?: string }[]).map((e) => ({
            pointer: e.pointer ?? null,
            detail: String(e.detail ?? ''),
          }))
        : [],
    );
  }
}
