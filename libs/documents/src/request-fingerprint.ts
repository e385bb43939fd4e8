import { MetadataValue } from '@recto/database';
import { createHash } from 'node:crypto';

export interface FingerprintedRequest {
  /** SHA-256 of the file's bytes (multipart or base64 alike), the URL to fetch them from, or a IIIF manifest's. */
  content: { sha256: string } | { url: string } | { iiifManifest: string };
  filename?: string | null;
  alias?: string | null;
  metadata?: Record<string, MetadataValue>;
  languages?: string[];
}

/**
 * What an upload asks for, as one SHA-256: two requests with the same fingerprint would create the
 * same document. Metadata keys are sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request.
 */
export function requestFingerprint(request: FingerprintedRequest): string {
  const metadata = Object.fromEntries(Object.entries(request.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
  const canonical = JSON.stringify([
    'url' in request.content
      ? { url: request.content.url }
      : 'iiifManifest' in request.content
        ? { iiifManifest: request.content.iiifManifest }
        : { sha256: request.content.sha256 },
    request.filename ?? null,
    request.alias ?? null,
    metadata,
    request.languages ?? [],
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
