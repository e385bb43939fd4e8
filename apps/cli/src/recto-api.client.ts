import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

export interface ApiDocument {
  id: string;
  filename: string;
  sha256: string;
  status: 'Processing' | 'Processed' | 'Failed';
  page_count: number | null;
  /** Pages recognised so far while Processing. */
  pages_done?: number | null;
  quality?: 'ok' | 'low' | null;
  quality_reason?: string | null;
  error: { code?: string; detail?: string } | null;
}

export interface ApiSearchHit {
  document_id: string;
  filename: string;
  page: number;
  snippet: string;
  highlights: { content: string; polygon: [number, number][] }[];
}

export interface ApiSearchResult {
  query: string;
  estimated_total_hits: number;
  processing_time_ms: number;
  hits: ApiSearchHit[];
}

export type StatusCounts = Record<'Processing' | 'Processed' | 'Failed' | 'total', number>;

/** An answer the API refused, with its problem details' text. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }

  /** Worth another try: the server was busy, throttling or briefly unreachable. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** The REST API, as a script would drive it. */
export class RectoApiClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly apiKey?: string,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: FormData): Promise<{ status: number; body: T }> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        body,
        headers: this.apiKey ? { Authorization: this.apiKey } : {},
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new ApiRequestError(0, `cannot reach ${this.base} (${cause})`);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    if (!res.ok) {
      const problem = parsed as { detail?: string; title?: string; code?: string } | null;
      throw new ApiRequestError(
        res.status,
        problem?.detail ?? problem?.title ?? `${res.status} ${res.statusText}`,
        problem?.code,
      );
    }
    return { status: res.status, body: parsed as T };
  }

  /** The tenant's document with these bytes, if the server has it. */
  async findBySha256(sha256: string): Promise<ApiDocument | null> {
    const { body } = await this.call<{ documents: ApiDocument[] }>('GET', `/v1/documents?sha256=${sha256}&limit=1`);
    return body.documents[0] ?? null;
  }

  /** An image (or PDF), with its OCR file when given; an OCR file alone is an OCR-only document. */
  async upload(
    image: string | null,
    ocr: string | null = null,
  ): Promise<{ document: ApiDocument; duplicate: boolean }> {
    const form = new FormData();
    // File-backed Blobs: the body streams from disk instead of being read into memory first.
    if (image) form.append('file', await openAsBlob(image), basename(image));
    if (ocr) form.append('ocr', await openAsBlob(ocr), basename(ocr));
    const { body } = await this.call<{ document: ApiDocument; duplicate?: boolean }>('POST', '/v1/documents', form);
    return { document: body.document, duplicate: body.duplicate === true };
  }

  async document(id: string): Promise<ApiDocument> {
    return (await this.call<{ document: ApiDocument }>('GET', `/v1/documents/${id}`)).body.document;
  }

  async search(query: string, options: { limit?: number; documentId?: string } = {}): Promise<ApiSearchResult> {
    const params = new URLSearchParams({ q: query, limit: String(options.limit ?? 20) });
    if (options.documentId) params.set('document_id', options.documentId);
    return (await this.call<ApiSearchResult>('GET', `/v1/search?${params}`)).body;
  }

  async counts(): Promise<StatusCounts> {
    return (await this.call<{ documents: StatusCounts }>('GET', '/v1/stats')).body.documents;
  }
}
