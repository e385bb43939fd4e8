import { ProblemDetails } from '@recto/common';
import { DocumentEntity } from '../entities/document.entity';

/** A document as the public API shows it (the contract's `Document`). */
export interface DocumentResource {
  id: string;
  filename: string;
  alias: string | null;
  metadata: Record<string, unknown>;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  status: string;
  page_count: number | null;
  /** Pages recognised so far while Processing; the page count once done. */
  pages_done: number | null;
  /** `low`, `ok`, or null where not judged. */
  quality: string | null;
  quality_reason: string | null;
  ocr_provider: string;
  languages: string[] | null;
  created_at: string;
  completed_at: string | null;
  error: ProblemDetails | null;
  /** The IIIF manifest the document was imported from, else null. */
  iiif_manifest: string | null;
  polling_url: string;
}

/**
 * The one mapping of a document row to its public shape: API responses and event payloads (webhooks,
 * the event stream) carry the same object. Without a base URL `polling_url` is a path, made absolute
 * where the base is known (`withBaseUrl`).
 */
export function toDocumentResource(d: DocumentEntity, baseUrl = ''): DocumentResource {
  return {
    id: d.id,
    filename: d.filename,
    alias: d.alias,
    metadata: d.metadata,
    mime_type: d.mimeType,
    size_bytes: d.sizeBytes,
    sha256: d.sha256,
    status: d.status,
    page_count: d.pageCount,
    pages_done: d.pagesDone,
    quality: d.quality,
    quality_reason: d.qualityReason,
    ocr_provider: d.ocrProvider,
    languages: d.languages,
    created_at: d.createdAt.toISOString(),
    completed_at: d.completedAt ? d.completedAt.toISOString() : null,
    error: d.error,
    iiif_manifest: d.iiifSource?.manifest ?? null,
    polling_url: `${baseUrl}/v1/documents/${d.id}`,
  };
}

/** A stored resource's relative `polling_url` made absolute under `baseUrl` (unchanged without one). */
export function withBaseUrl(resource: DocumentResource, baseUrl: string | undefined): DocumentResource {
  if (!baseUrl || !resource.polling_url.startsWith('/')) return resource;
  return { ...resource, polling_url: `${baseUrl.replace(/\/+$/, '')}${resource.polling_url}` };
}
